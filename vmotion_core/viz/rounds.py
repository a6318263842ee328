"""Pre-copy rounds chart: data sent and data dirtied per round, the switchover threshold, where
pre-copy stopped, and when the guest was throttled (SDPS for vmotion, auto-converge for qemu).
"""

from __future__ import annotations

import numpy as np
from matplotlib.ticker import FuncFormatter, LogLocator, MaxNLocator, NullFormatter

from ..units import GiB, MiB, format_duration, format_rate, format_size
from ._style import ROLE, new_figure, set_alt_text, style_axes

__all__ = ["plot_rounds", "draw_rounds", "rounds_alt_text", "size_unit", "describe_config",
           "threshold_bytes"]

_LEGEND = {"loc": "upper center", "bbox_to_anchor": (0.5, -0.17), "ncol": 2, "fontsize": 8,
           "frameon": False}
_THROTTLE_NAME = {"vmotion": "SDPS", "qemu": "auto-converge", "xen": "throttle"}


def size_unit(max_bytes: float) -> tuple[str, float]:
    """Pick GiB or MiB so that the largest value reads well; return (name, bytes per unit)."""
    return ("GiB", GiB) if max_bytes >= GiB else ("MiB", MiB)


def describe_config(cfg) -> str:
    """One line naming the VM, workload and link of a pre-copy config."""
    w = cfg.workload
    work = f"{w.kind} writes at {w.dirty_rate_mibps:g} MiB/s"
    if w.kind == "hotset":
        work += f" ({w.hot_share:.0%} of them to {w.hot_fraction:.0%} of memory)"
    return (f"{cfg.memory_gib:g} GiB VM, {work}, {cfg.link.bandwidth_gbps:g} Gbit/s link "
            f"({format_rate(cfg.link.effective_bps)} effective)")


def threshold_bytes(result) -> tuple[float, str] | None:
    """The policy's switchover threshold in bytes and a label for it, or None.

    The value is :func:`vmotion_core.precopy.stop_threshold_bytes`, the rule the engine and the
    closed form use (vmotion: the largest dirty set whose switchover fits the goal, never below 0;
    qemu: downtime-limit x link rate; xen: ``min_pages``).
    """
    from ..precopy import stop_threshold_bytes

    pol = result.config.policy
    thr = stop_threshold_bytes(result.config)
    if pol.name == "vmotion":
        return max(thr, 0.0), f"switchover goal {pol.goal_ms:g} ms"
    if pol.name == "qemu":
        return thr, f"downtime limit {pol.downtime_limit_ms:g} ms x link rate"
    return thr, f"Xen: fewer than {pol.min_pages} pages"


def draw_rounds(ax, result, throttle_ax=None, legend: bool = True) -> dict:
    """Draw the rounds chart of a :class:`~vmotion_core.precopy.PrecopyResult` on ``ax``.

    ``throttle_ax`` is an existing twin axis to reuse for the throttle line (the explorer keeps
    one); by default a twin axis is made when the guest was throttled. ``legend=False`` leaves
    the legend out (the explorer shows it as HTML next to the picture, which redraws faster).
    Returns a dict of the values drawn (unit, sent, dirtied, threshold) for captions and tests.
    """
    rounds = result.rounds
    page_b = result.config.page_bytes
    idx = np.array([r.index for r in rounds], dtype=float)
    sent = np.array([r.bytes_sent for r in rounds], dtype=float)
    dirtied = np.array([r.pages_dirtied * page_b for r in rounds], dtype=float)
    throttle = np.array([r.throttle for r in rounds], dtype=float)
    thr, thr_label = threshold_bytes(result) or (None, "")
    final = float(result.final_bytes if result.ok else dirtied[-1] if len(dirtied) else 0.0)
    unit, scale = size_unit(max(sent.max(initial=0), dirtied.max(initial=0), final, 1.0))
    n = len(rounds)
    width = 0.4
    ax.bar(idx - width / 2, sent / scale, width, color=ROLE["sent"], label="sent in the round",
           zorder=3)
    ax.bar(idx + width / 2, dirtied / scale, width, color=ROLE["dirtied"], hatch="///",
           edgecolor="white", linewidth=0, label="dirtied during the round (sent next)", zorder=3)
    stop_x = n - 0.5
    ax.axvline(stop_x, color=ROLE["stun"], linestyle=":", linewidth=1.5, zorder=4)
    if result.ok:
        ax.bar([n], [final / scale], 0.6, color=ROLE["stun"], zorder=3,
               label=f"sent while stunned (pages + checkpoint), {result.downtime_ms:.0f} ms stun")
        stop_text = f"switch-over after round {n - 1}"
    else:
        stop_text = f"failed after round {n - 1}"
    ymax = max(sent.max(initial=0), dirtied.max(initial=0), final, thr or 0) / scale
    # the threshold stays in view even when the data never came near it
    positives = [v for v in np.concatenate([sent, dirtied, [final, thr or 0]]) / scale if v > 0]
    ymin = max(min(positives + [ymax]) / 3, ymax * 1e-7) if positives else 1e-3
    if ax.get_yscale() != "log":  # re-setting the scale would rebuild every tick
        ax.set_yscale("log")
    ax.set_ylim(ymin, ymax * 4)
    right = n > 3
    ax.text(stop_x, ymax * 2.5, f"{stop_text}  " if right else f"  {stop_text}",
            color=ROLE["stun"], fontsize=9, va="center", ha="right" if right else "left")
    if thr and thr > 0:
        ax.axhline(thr / scale, color=ROLE["threshold"], linestyle="--", linewidth=1.2, zorder=4,
                   label=f"threshold: {thr_label} ({format_size(thr)})")
    throttled = bool(throttle.max(initial=0) > 0)
    if throttle_ax is not None:
        throttle_ax.set_visible(throttled)
    throttle_handles = ([], [])
    if throttled:
        name = _THROTTLE_NAME[result.policy]
        tax = ax.twinx() if throttle_ax is None else throttle_ax
        tax.plot(idx, throttle * 100, color=ROLE["throttle"], marker="D", markersize=4,
                 linewidth=1.2, drawstyle="steps-mid", label=f"{name}: guest slowed (%)")
        tax.set_ylim(0, 105)
        tax.set_ylabel(f"{name} throttle (% of vCPU time)", color=ROLE["throttle"])
        tax.spines["top"].set_visible(False)
        throttle_handles = tax.get_legend_handles_labels()
    if legend:
        handles, labels = ax.get_legend_handles_labels()
        ax.legend(handles + throttle_handles[0], labels + throttle_handles[1], **_LEGEND)
    ax.set_xlabel("pre-copy round (0 = first full copy)")
    ax.set_ylabel(f"data per round ({unit}, log scale)")
    ax.set_xlim(-0.7, n + 0.7)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    decades = np.log10(ax.get_ylim()[1] / ax.get_ylim()[0])
    ax.yaxis.set_major_locator(LogLocator(subs=(1.0, 2.0, 5.0) if decades < 2.5 else (1.0,)))
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _pos: f"{v:g}"))
    ax.yaxis.set_minor_formatter(NullFormatter())
    style_axes(ax)
    return {"unit": unit, "sent": sent, "dirtied": dirtied, "threshold": thr,
            "threshold_label": thr_label, "final": final}


def plot_rounds(result):
    """Bar chart of the pre-copy rounds of a simulation.

    Parameters
    ----------
    result : vmotion_core.precopy.PrecopyResult

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> from vmotion_core.precopy import PrecopyConfig, Workload, simulate_precopy
    >>> res = simulate_precopy(PrecopyConfig(memory_gib=1, workload=Workload("uniform", 200)))
    >>> fig = plot_rounds(res)
    >>> fig.axes[0].get_xlabel()
    'pre-copy round (0 = first full copy)'
    """
    fig = new_figure(9.0, 4.8)
    ax = fig.add_subplot()
    drawn = draw_rounds(ax, result)
    verdict = "switched over" if result.ok else "FAILED, VM stays on the source"
    ax.set_title(f"Pre-copy rounds, {result.policy} policy: {verdict}\n"
                 f"{describe_config(result.config)}", loc="left", fontsize=10.5)
    return set_alt_text(fig, rounds_alt_text(result, drawn))


def rounds_alt_text(result, drawn) -> str:
    """Alt text of a rounds chart: the first 12 rounds, throttling, threshold and outcome.

    ``drawn`` is what :func:`draw_rounds` returned (its ``unit`` and ``threshold`` are used).

    Examples
    --------
    >>> from vmotion_core.precopy import PrecopyConfig, Workload, simulate_precopy
    >>> res = simulate_precopy(PrecopyConfig(memory_gib=1, workload=Workload("uniform", 200)))
    >>> rounds_alt_text(res, {"unit": "GiB", "threshold": None})[:48]
    'Bar chart of pre-copy rounds for a 1 GiB VM, uni'
    """
    unit = drawn["unit"]
    scale = GiB if unit == "GiB" else MiB
    per = "; ".join(f"round {r.index}: sent {r.bytes_sent / scale:.3g} {unit}, dirtied "
                    f"{r.pages_dirtied * result.config.page_bytes / scale:.3g} {unit}"
                    + (f", throttle {r.throttle:.0%}" if r.throttle else "")
                    for r in result.rounds[:12])
    more = f"; and {result.n_rounds - 12} more rounds" if result.n_rounds > 12 else ""
    throttled = [r for r in result.rounds if r.throttle > 0]
    if throttled:
        name = _THROTTLE_NAME[result.policy]
        more += (f". {name} throttled the guest from round {throttled[0].index}, by up to "
                 f"{result.max_throttle:.0%} of vCPU time")
    thr = drawn["threshold"]
    thr_txt = (f" The dashed line is the threshold ({drawn['threshold_label']}): "
               f"{format_size(thr)}." if thr else "")
    end = (f"Pre-copy switched over after {result.n_rounds} rounds with a stun of "
           f"{result.downtime_ms:.0f} ms; total {format_duration(result.total_time_s)}."
           if result.ok else f"The migration failed after {result.n_rounds} rounds.")
    return (f"Bar chart of pre-copy rounds for a {describe_config(result.config)}, "
            f"{result.policy} policy. {per}{more}.{thr_txt} {end} {result.stop_reason}")
