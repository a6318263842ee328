"""Migration timeline (Gantt): what happened when, with the stun time called out.

Works on a :class:`~vmotion_core.migration.MigrationResult` (all phases: checks, preparation,
disk copy, pre-copy, switchover, resume) and on a bare
:class:`~vmotion_core.precopy.PrecopyResult` (pre-copy rounds, stun, resume).
"""

from __future__ import annotations

from ..units import format_duration
from ._style import PALETTE, ROLE, new_figure, set_alt_text, style_axes

__all__ = ["plot_timeline", "draw_timeline", "timeline_rows"]

_PHASE_COLOURS = (("check", ROLE["checks"]), ("prep", ROLE["prep"]), ("trace", ROLE["prep"]),
                  ("disk", ROLE["disk"]), ("storage", ROLE["disk"]),
                  ("pre-copy", ROLE["precopy"]), ("precopy", ROLE["precopy"]),
                  ("switch", ROLE["stun"]), ("stun", ROLE["stun"]), ("resume", ROLE["resume"]),
                  ("rarp", ROLE["resume"]), ("network", ROLE["resume"]))


def _colour(name: str) -> str:
    low = name.lower()
    return next((c for key, c in _PHASE_COLOURS if key in low), PALETTE["grey"])


def _is_precopy(name: str) -> bool:
    low = name.lower()
    return "pre-copy" in low or "precopy" in low


def _is_stun(name: str) -> bool:
    low = name.lower()
    return "switch" in low or "stun" in low


def timeline_rows(result) -> list[tuple[str, float, float]]:
    """Return ``(name, start_s, duration_s)`` rows for either kind of result, in time order."""
    precopy = getattr(result, "precopy", result)
    if hasattr(result, "phases"):
        return [(p.name, float(p.start_s), float(p.duration_s)) for p in result.phases]
    rows = [("pre-copy", 0.0, float(precopy.precopy_s))]
    if precopy.ok:
        stun_s = precopy.downtime_ms / 1000.0
        resume_s = max(0.0, stun_s - precopy.switchover_s)
        rows.append(("switchover (stun)", precopy.precopy_s, precopy.switchover_s))
        if resume_s > 0:
            rows.append(("resume on destination", precopy.precopy_s + precopy.switchover_s,
                         resume_s))
    return rows


def _stun(result) -> tuple[float, float] | None:
    """(start_s, stun_ms) of the stun, or None when the VM never stopped."""
    if hasattr(result, "phases"):
        stun_ms = float(getattr(result, "stun_ms", 0.0) or 0.0)
        starts = [p.start_s for p in result.phases if _is_stun(p.name)]
        return (float(starts[0]), stun_ms) if starts and stun_ms > 0 else None
    return (result.precopy_s, result.downtime_ms) if result.ok else None


def draw_timeline(ax, result, window: tuple[float, float] | None = None):
    """Draw the Gantt chart of ``result`` on ``ax``; return the rows drawn.

    ``window`` = (start_s, end_s) zooms in (used for the switchover close-up).
    """
    rows = timeline_rows(result)
    precopy = getattr(result, "precopy", result)
    total = max((s + d for _n, s, d in rows), default=0.0) or 1.0
    span = (window[1] - window[0]) if window else total
    min_w = span * 0.004  # keep sub-pixel phases (a 0.3 s stun in a 60 s run) visible
    labels = []
    for y, (name, start, dur) in enumerate(rows):
        labels.append(name)
        if _is_precopy(name) and precopy is not None and precopy.rounds:
            # one segment per round, alternating shade, offset to where the phase starts
            offset = start - precopy.rounds[0].start_s
            for r in precopy.rounds:
                shade = ROLE["precopy"] if r.index % 2 == 0 else PALETTE["sky"]
                ax.barh(y, max(r.duration_s, min_w), left=offset + r.start_s, height=0.6,
                        color=shade, edgecolor="white", linewidth=0.5, zorder=3)
            if window is None and len(precopy.rounds) <= 12:
                r0 = precopy.rounds[0]
                ax.text(offset + r0.start_s + r0.duration_s / 2, y, "round 0", ha="center",
                        va="center", color="white", fontsize=8, zorder=4, clip_on=True)
        else:
            ax.barh(y, max(dur, min_w), left=start, height=0.6, color=_colour(name),
                    hatch="xx" if _is_stun(name) else None, edgecolor="white", linewidth=0.5,
                    zorder=3)
    stun = _stun(result)
    if stun is not None:
        y = next(i for i, (n, _s, _d) in enumerate(rows) if _is_stun(n)) \
            if any(_is_stun(n) for n, _s, _d in rows) else len(rows) - 1
        start, stun_ms = stun
        ax.annotate(f"stun {stun_ms:.0f} ms", xy=(start, y), xytext=(-24, 0),
                    textcoords="offset points", ha="right", va="center", fontsize=9,
                    color=ROLE["stun"], fontweight="bold",
                    arrowprops={"arrowstyle": "->", "color": ROLE["stun"]}, zorder=5)
    ax.set_yticks(range(len(rows)), labels)
    ax.set_ylim(len(rows) - 0.4, -0.8)
    ax.set_xlim(*(window or (0, total * 1.02)))
    ax.set_xlabel("time since the migration started (s)")
    style_axes(ax, grid_axis="x")
    return rows


def plot_timeline(result):
    """Gantt chart of a migration (MigrationResult) or of a pre-copy simulation (PrecopyResult).

    Examples
    --------
    >>> from vmotion_core.precopy import PrecopyConfig, Workload, simulate_precopy
    >>> res = simulate_precopy(PrecopyConfig(memory_gib=1, workload=Workload("uniform", 200)))
    >>> plot_timeline(res).axes[0].get_xlabel()
    'time since the migration started (s)'
    """
    rows_n = len(timeline_rows(result))
    stun = _stun(result)
    total = max((s + d for _n, s, d in timeline_rows(result)), default=0.0)
    zoom = stun is not None and stun[1] / 1000.0 < 0.05 * total
    height = 1.6 + 0.45 * rows_n
    fig = new_figure(9.0, height * (1.9 if zoom else 1.0))
    if zoom:
        ax, zax = fig.subplots(2, 1, height_ratios=[1.15, 1])
    else:
        ax = fig.add_subplot()
    rows = draw_timeline(ax, result)
    if zoom:
        start, stun_ms = stun
        pad = max(stun_ms / 1000.0, 0.05)
        draw_timeline(zax, result, window=(start - 1.5 * pad, start + 1.6 * pad + stun_ms / 1000))
        zax.set_title("close-up of the switchover", loc="left", fontsize=9.5)
        ax.axvspan(start - 1.5 * pad, start + 1.6 * pad + stun_ms / 1000, color=ROLE["stun"],
                   alpha=0.12, zorder=1)
    what = (f"{result.migration_type} migration of {_vm_name(result)}"
            if hasattr(result, "phases") else f"pre-copy simulation ({result.policy} policy)")
    ok = result.ok
    verdict = f"stun {stun[1]:.0f} ms" if stun else ("no stun" if ok else "failed")
    ax.set_title(f"Timeline of a {what}: {format_duration(total)} in total, {verdict}",
                 loc="left", fontsize=10.5)
    parts = "; ".join(f"{n} from {s:.2f} s for {format_duration(d)}" for n, s, d in rows)
    return set_alt_text(fig, f"Timeline chart of a {what}. {parts}. "
                             + (f"The VM was stunned for {stun[1]:.0f} ms." if stun else
                                "The VM never stopped." if ok else "The migration failed."))


def _vm_name(result) -> str:
    plan = getattr(result, "plan", None)
    return f"VM {plan.vm}" if plan is not None and getattr(plan, "vm", None) else "the VM"
