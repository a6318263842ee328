"""Migration timeline (Gantt): what happened when, with the stun time called out.

Works on a :class:`~vmotion_core.migration.MigrationResult` (all phases: checks, preparation,
disk copy, pre-copy, switchover, resume) and on a bare
:class:`~vmotion_core.precopy.PrecopyResult` (pre-copy rounds, stun, resume). A task that passed
vCenter's pre-check and failed later (``result.failed_at``) has its failed phase framed in red,
hatched where the task stalled, and labelled "failed at N %".
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
    return any(key in name.lower() for key in ("pre-copy", "precopy"))


def _is_stun(name: str) -> bool:
    return any(key in name.lower() for key in ("switch", "stun"))


def timeline_rows(result) -> list[tuple[str, float, float]]:
    """Return ``(name, start_s, duration_s)`` rows for either kind of result, in time order.

    >>> from vmotion_core.precopy import PrecopyConfig, Workload, simulate_precopy
    >>> res = simulate_precopy(PrecopyConfig(memory_gib=1, workload=Workload("uniform", 200)))
    >>> [name for name, _start_s, _duration_s in timeline_rows(res)]
    ['pre-copy', 'switchover (stun)', 'resume on destination']
    """
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


def _failed_row(result, rows) -> int | None:
    """Index of the row in which a late failure stopped the task (the last row of its phase)."""
    lf = getattr(result, "failed_at", None)
    if lf is None:
        return None
    hits = [i for i, (n, _s, _d) in enumerate(rows) if n == lf.phase]
    return hits[-1] if hits else len(rows) - 1


def _draw_failure(ax, result, rows, y, window):
    """Frame the failed phase in red; hatch it when the task stalled (no rounds drawn in it)."""
    name, start, dur = rows[y]
    precopy = getattr(result, "precopy", None)
    has_rounds = _is_precopy(name) and precopy is not None and precopy.rounds
    ax.barh(y, dur, left=start, height=0.6, facecolor="none" if has_rounds else "#FBE3D6",
            edgecolor=ROLE["error"], hatch=None if has_rounds else "///", linewidth=1.8,
            zorder=4 if has_rounds else 3)
    end = start + dur
    ax.plot([end], [y], marker="X", markersize=11, color=ROLE["error"], markeredgecolor="white",
            zorder=6, clip_on=False)
    if window is None:
        lo, hi = ax.get_xlim()
        mid = max(start + dur / 2, lo + 0.12 * (hi - lo))
        ax.text(min(mid, hi - 0.12 * (hi - lo)), y, result.failed_at.label, ha="center",
                va="center", fontsize=9, fontweight="bold", color=ROLE["error"], zorder=7,
                clip_on=True, bbox={"boxstyle": "round,pad=0.25", "fc": "white",
                                    "ec": ROLE["error"], "lw": 0.8})


def _stun(result) -> tuple[float, float] | None:
    """(start_s, stun_ms) of the stun, or None when the VM never stopped."""
    if hasattr(result, "phases"):
        stun_ms = float(result.stun_ms)
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
    failed = _failed_row(result, rows)
    for y, (name, start, dur) in enumerate(rows):
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
        elif y != failed:
            ax.barh(y, max(dur, min_w), left=start, height=0.6, color=_colour(name),
                    hatch="xx" if _is_stun(name) else None, edgecolor="white", linewidth=0.5,
                    zorder=3)
    stun = _stun(result)
    if stun is not None:
        y = next((i for i, (n, _s, _d) in enumerate(rows) if _is_stun(n)), len(rows) - 1)
        start, stun_ms = stun
        ax.annotate(f"stun {stun_ms:.0f} ms", xy=(start, y), xytext=(-24, 0),
                    textcoords="offset points", ha="right", va="center", fontsize=9,
                    color=ROLE["stun"], fontweight="bold",
                    arrowprops={"arrowstyle": "->", "color": ROLE["stun"]}, zorder=5)
    ax.set_yticks(range(len(rows)), [name for name, _s, _d in rows])
    ax.set_ylim(len(rows) - 0.4, -0.8)
    ax.set_xlim(*(window or (0, total * 1.02)))
    if failed is not None:
        _draw_failure(ax, result, rows, failed, window)
    ax.set_xlabel("time since the migration started (s)")
    style_axes(ax, grid_axis="x")
    return rows


#: How a migration that did not move the VM ended, by ``result.status`` (no stall: no rows).
_NOT_MOVED = {"blocked": "blocked by vCenter's pre-check", "not-run": "not run by the simulator"}


def plot_timeline(result):
    """Gantt chart of a migration (MigrationResult) or of a pre-copy simulation (PrecopyResult).

    Examples
    --------
    >>> from vmotion_core.precopy import PrecopyConfig, Workload, simulate_precopy
    >>> res = simulate_precopy(PrecopyConfig(memory_gib=1, workload=Workload("uniform", 200)))
    >>> plot_timeline(res).axes[0].get_xlabel()
    'time since the migration started (s)'
    """
    rows = timeline_rows(result)
    stun = _stun(result)
    total = max((s + d for _n, s, d in rows), default=0.0)
    zoom = stun is not None and stun[1] / 1000.0 < 0.05 * total
    height = 1.6 + 0.45 * len(rows)
    fig = new_figure(9.0, height * (1.9 if zoom else 1.0))
    if zoom:
        ax, zax = fig.subplots(2, 1, height_ratios=[1.15, 1])
    else:
        ax = fig.add_subplot()
    draw_timeline(ax, result)
    if zoom:
        start, stun_ms = stun
        pad = max(stun_ms / 1000.0, 0.05)
        window = (start - 1.5 * pad, start + 1.6 * pad + stun_ms / 1000)
        draw_timeline(zax, result, window=window)
        zax.set_title("close-up of the switchover", loc="left", fontsize=9.5)
        ax.axvspan(*window, color=ROLE["stun"], alpha=0.12, zorder=1)
    what = (f"{result.migration_type} migration of VM {result.plan.vm}"
            if hasattr(result, "phases") else f"pre-copy simulation ({result.policy} policy)")
    ok = result.ok
    lf = getattr(result, "failed_at", None)
    status = getattr(result, "status", None)  # a MigrationResult says how it ended
    verdict = f"stun {stun[1]:.0f} ms" if stun else ("no stun" if ok else
                                                      _NOT_MOVED.get(status, "failed"))
    if stun and result.stun_note:
        verdict += (f"\nswitchover goal of {result.goal_ms:.0f} ms missed: the VM was inaccessible "
                    f"for {format_duration(stun[1] / 1000)}")
    if lf is not None:
        verdict = (f"passed the pre-check\nTask started, then {lf.label}: "
                   f"the VM stays on {result.plan.source_host}")
    ax.set_title(f"Timeline of a {what}: {format_duration(total)} in total, {verdict}",
                 loc="left", fontsize=10.5)
    parts = "; ".join(f"{n} from {s:.2f} s for {format_duration(d)}" for n, s, d in rows)
    if lf is not None:
        end = (f"The task passed vCenter's pre-check, started, and {lf.label} in the "
               f"{lf.phase} phase after {lf.t_s:.1f} s: {lf.message} The VM stays on "
               f"{result.plan.source_host}.")
    else:
        end = (f"The VM was stunned for {stun[1]:.0f} ms." if stun else
               "The VM never stopped." if ok else
               f"The migration was {_NOT_MOVED[status]}." if status in _NOT_MOVED else
               "The migration failed.")
        if stun and result.stun_note:
            end += " " + result.stun_note
    return set_alt_text(fig, f"Timeline chart of a {what}. {parts}. {end}")

