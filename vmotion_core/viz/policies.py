"""Policy comparison: the same VM migrated under the vmotion, qemu and xen stop policies."""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from ..precopy.config import POLICY_NAMES
from ..units import GiB, format_duration, format_size
from ._style import ROLE, new_figure, set_alt_text, style_axes
from .rounds import describe_config

__all__ = ["compare_policies", "plot_policy_comparison"]

def compare_policies(config, policies=POLICY_NAMES, max_time_s: float | None = None) -> dict:
    """Simulate ``config`` once per policy (everything else equal); return ``{name: result}``.

    ``max_time_s`` optionally lowers every policy's pre-copy time cap (QEMU has no round limit,
    so a run that never converges otherwise simulates the full default hour).

    Examples
    --------
    >>> from vmotion_core.precopy import PrecopyConfig, Workload
    >>> runs = compare_policies(PrecopyConfig(memory_gib=1, workload=Workload("uniform", 200)))
    >>> list(runs), runs["vmotion"].ok
    (['vmotion', 'qemu', 'xen'], True)
    """
    from ..precopy import simulate_precopy

    out = {}
    for name in policies:
        policy = replace(config.policy, name=name)
        if max_time_s is not None:
            policy = replace(policy, max_time_s=min(policy.max_time_s, max_time_s))
        out[name] = simulate_precopy(config.replace(policy=policy, heatmap=False))
    return out


def plot_policy_comparison(config, policies=POLICY_NAMES, max_time_s: float | None = None):
    """Left: data still to send after each round, per policy. Right: totals side by side.

    Examples
    --------
    >>> from vmotion_core.precopy import PrecopyConfig, Workload
    >>> fig = plot_policy_comparison(PrecopyConfig(memory_gib=2, workload=Workload("uniform", 300)))
    >>> [ax.get_ylabel() for ax in fig.axes[1:]]
    ['total time (s)', 'stun time (ms)', 'data sent (GiB)']
    """
    results = compare_policies(config, policies, max_time_s)
    fig = new_figure(11.0, 4.8)
    gs = fig.add_gridspec(1, 4, width_ratios=[2.2, 1, 1, 1])
    ax = fig.add_subplot(gs[0])
    looks = {"vmotion": ("-", "o"), "qemu": ("--", "s"), "xen": (":", "^")}  # line, marker
    for name, res in results.items():
        t = np.array([0.0] + [r.end_s for r in res.rounds])
        left = np.array([res.config.memory_bytes] + [r.pages_dirtied * res.config.page_bytes
                                                     for r in res.rounds]) / GiB
        ax.plot(t, left, linestyle=looks[name][0], marker=looks[name][1], markersize=3.5,
                color=ROLE[name], label=f"{name}: {res.n_rounds} rounds, "
                                        f"{'stun %.0f ms' % res.downtime_ms if res.ok else 'failed'}")
        if res.ok:
            ax.plot([res.total_time_s], [res.final_pages * res.config.page_bytes / GiB or 1e-6],
                    marker="X", markersize=9, color=ROLE[name], linestyle="none")
    ax.set_yscale("log")
    ax.set_xlabel("time since the migration started (s)")
    ax.set_ylabel("dirty data left to send (GiB, log)")
    ax.legend(fontsize=8, loc="upper right", title="X = switch-over", title_fontsize=8)
    style_axes(ax)
    bars = (("total time (s)", lambda r: r.total_time_s),
            ("stun time (ms)", lambda r: r.downtime_ms if r.ok else np.nan),
            ("data sent (GiB)", lambda r: r.bytes_sent / GiB))
    names = list(results)
    for k, (label, get) in enumerate(bars):
        bax = fig.add_subplot(gs[k + 1])
        vals = [get(results[n]) for n in names]
        rects = bax.bar(names, np.nan_to_num(vals), color=[ROLE[n] for n in names],
                        hatch=None, zorder=3)
        for rect, v, n in zip(rects, vals, names):
            bax.annotate("failed" if np.isnan(v) else f"{v:,.0f}" if v >= 100 else f"{v:.3g}",
                         (rect.get_x() + rect.get_width() / 2, rect.get_height()),
                         xytext=(0, 2), textcoords="offset points", ha="center", fontsize=8)
        bax.set_ylabel(label)
        bax.margins(y=0.15)
        bax.tick_params(axis="x", labelsize=8)
        style_axes(bax)
    fig.suptitle(f"Same VM, three stop policies\n{describe_config(config)}", x=0.01, ha="left",
                 fontsize=10.5)
    fig.policy_results = results
    summary = "; ".join(
        f"{n}: {r.n_rounds} rounds, total {format_duration(r.total_time_s)}, "
        + (f"stun {r.downtime_ms:.0f} ms" if r.ok else "failed")
        + f", {format_size(r.bytes_sent)} sent" for n, r in results.items())
    return set_alt_text(fig, f"Comparison of stop policies for a {describe_config(config)}. "
                             f"{summary}.")
