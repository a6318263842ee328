"""Convergence map: the dirty-rate x bandwidth plane, coloured by how pre-copy ends.

Two honest ways to fill the plane, chosen with ``method``:

- ``"analytic"`` (default, instant): :func:`vmotion_core.precopy.analytic_precopy`, the geometric
  model. It assumes every write dirties a new page and ignores SDPS / auto-converge, so it is the
  *pessimistic* picture: a cell marked "does not converge" is where the guest out-writes the link.
- ``"simulate"``: the page-level engine, :func:`vmotion_core.precopy.simulate_precopy`, once per
  cell on a coarse grid, with the config's real workload (uniform writes saturate, SDPS throttles).
  Slower: a 7 x 7 grid of 16 GiB VMs takes a few seconds. ``max_time_s`` caps runs that never
  converge (QEMU has no round limit) and is printed on the figure.
"""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
from matplotlib.colors import BoundaryNorm, ListedColormap, LogNorm
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Rectangle
from matplotlib.ticker import FuncFormatter

from ..units import MiB
from ._style import PALETTE, new_figure, set_alt_text, style_axes

__all__ = ["convergence_grid", "plot_convergence_map", "OUTCOMES"]

#: outcome code -> (label, colour, hatch)
OUTCOMES = {
    0: ("meets its stop rule", PALETTE["green"], ""),
    1: ("meets it only with throttling (SDPS / auto-converge)", PALETTE["sky"], ".."),
    2: ("forced switch-over, stun above the goal", PALETTE["yellow"], "//"),
    3: ("fails: the VM stays on the source", PALETTE["vermillion"], "xx"),
    4: ("never reaches the threshold (guest out-writes the link)", PALETTE["orange"], "\\\\"),
}
_COLOR_BY = ("outcome", "rounds", "downtime")


def _axis(given, centre, lo, hi, n):
    """``given``, or ``n`` log-spaced values over lo..hi, widened to centre/2..centre*2."""
    return np.asarray(given if given is not None else
                      np.geomspace(min(lo, centre / 2), max(hi, centre * 2), n), float)


def convergence_grid(config, policy: str | None = None, method: str = "analytic",
                     rates_mibps=None, bandwidths_gbps=None, n: int | None = None,
                     max_time_s: float = 600.0) -> dict:
    """Evaluate the model over a grid of dirty rates x bandwidths around ``config``.

    Returns a dict of 2-D arrays indexed ``[bandwidth, rate]``: ``outcome`` (keys of
    :data:`OUTCOMES`), ``rounds``, ``downtime_ms`` (nan where the VM never stops), plus the axes
    ``rates_mibps`` and ``bandwidths_gbps``, ``method`` and ``policy``.

    Examples
    --------
    >>> from vmotion_core.precopy import PrecopyConfig, Workload
    >>> g = convergence_grid(PrecopyConfig(workload=Workload("uniform", 500)), n=5)
    >>> g["outcome"].shape
    (5, 5)
    """
    from ..precopy import analytic_precopy, simulate_precopy

    if method not in ("analytic", "simulate"):
        raise ValueError(f"method: {method!r} is not 'analytic' or 'simulate'")
    n = n or (24 if method == "analytic" else 7)
    rates = _axis(rates_mibps, max(config.workload.dirty_rate_mibps, 1.0), 25.0, 8000.0, n)
    bws = _axis(bandwidths_gbps, config.link.bandwidth_gbps, 0.5, 100.0, n)
    pol = config.policy if policy is None else replace(config.policy, name=policy)
    if method == "simulate":
        pol = replace(pol, max_time_s=min(pol.max_time_s, max_time_s))
    shape = (len(bws), len(rates))
    outcome = np.zeros(shape, int)
    rounds = np.zeros(shape, float)
    downtime = np.full(shape, np.nan)
    for i, bw in enumerate(bws):
        for j, rate in enumerate(rates):
            cfg = config.replace(workload=replace(config.workload, dirty_rate_mibps=float(rate)),
                                 link=replace(config.link, bandwidth_gbps=float(bw)),
                                 policy=pol, heatmap=False)
            if method == "analytic":
                res = analytic_precopy(cfg)
                ok = res.converged and math.isfinite(res.downtime_s)
                outcome[i, j] = 0 if ok else 4
                rounds[i, j] = res.precopy_rounds if math.isfinite(res.precopy_rounds) else np.nan
                downtime[i, j] = res.downtime_s * 1000 if ok else np.nan
            else:
                res = simulate_precopy(cfg)
                # keys of OUTCOMES: fails, forced switch-over, throttled, met its stop rule
                outcome[i, j] = (3 if not res.ok else 2 if not res.converged
                                 else 1 if res.max_throttle > 0 else 0)
                rounds[i, j] = res.n_rounds
                downtime[i, j] = res.downtime_ms if res.ok else np.nan
    return {"outcome": outcome, "rounds": rounds, "downtime_ms": downtime, "rates_mibps": rates,
            "bandwidths_gbps": bws, "method": method, "policy": pol.name,
            "max_time_s": pol.max_time_s}


def _edges(values):
    """Cell edges on a log axis around the given centres."""
    logs = np.log(values)
    mids = (logs[1:] + logs[:-1]) / 2
    first, last = logs[0] - (mids[0] - logs[0]), logs[-1] + (logs[-1] - mids[-1])
    return np.exp(np.r_[first, mids, last])


def _draw_panel(ax, grid, config, color_by):
    rates, bws = grid["rates_mibps"], grid["bandwidths_gbps"]
    X, Y = _edges(rates), _edges(bws)
    if color_by == "outcome":
        cmap = ListedColormap([OUTCOMES[k][1] for k in sorted(OUTCOMES)])
        mesh = ax.pcolormesh(X, Y, grid["outcome"], cmap=cmap,
                             norm=BoundaryNorm(np.arange(-0.5, len(OUTCOMES)), cmap.N),
                             shading="flat")
        for (i, j), k in np.ndenumerate(grid["outcome"]):  # hatch: colour is never the only cue
            if OUTCOMES[k][2]:
                ax.add_patch(Rectangle((X[j], Y[i]), X[j + 1] - X[j], Y[i + 1] - Y[i],
                                       fill=False, hatch=OUTCOMES[k][2], linewidth=0,
                                       edgecolor="#333333", zorder=2))
    elif color_by == "rounds":
        mesh = ax.pcolormesh(X, Y, np.ma.masked_invalid(grid["rounds"]), cmap="cividis",
                             shading="flat")
    else:
        data = np.ma.masked_invalid(grid["downtime_ms"])
        lo = max(float(data.min()) if data.count() else 1.0, 1.0)
        hi = max(float(data.max()) if data.count() else 10.0, lo * 10)
        mesh = ax.pcolormesh(X, Y, data, cmap="cividis", norm=LogNorm(lo, hi), shading="flat")
    ax.set_facecolor(PALETTE["vermillion"] if color_by != "outcome" else "white")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlim(X[0], X[-1])
    ax.set_ylim(Y[0], Y[-1])
    # where the guest writes as fast as the link carries (dirty rate = effective bandwidth)
    eff = config.link.effective_bps / config.link.bandwidth_gbps  # bytes/s per Gbit/s of line
    line_bw = np.geomspace(Y[0], Y[-1], 50)
    ax.plot(line_bw * eff / MiB, line_bw, color="black", linestyle="--", linewidth=1)
    ax.plot([config.workload.dirty_rate_mibps], [config.link.bandwidth_gbps], marker="*",
            markersize=16, color="white", markeredgecolor="black", linestyle="none", zorder=5)
    ax.annotate("your VM", (config.workload.dirty_rate_mibps, config.link.bandwidth_gbps),
                xytext=(8, 8), textcoords="offset points", fontsize=9, fontweight="bold",
                bbox={"boxstyle": "round,pad=0.2", "fc": "white", "ec": "black", "lw": 0.5})
    ax.set_xlabel("guest dirty rate (MiB/s, log)")
    ax.set_ylabel("vMotion link (Gbit/s, log)")
    style_axes(ax, grid_axis="")
    return mesh


def plot_convergence_map(config, policies=("vmotion",), color_by: str = "outcome",
                         method: str = "analytic", rates_mibps=None, bandwidths_gbps=None,
                         n: int | None = None, max_time_s: float = 600.0):
    """Map where pre-copy converges, for one or more stop policies, with the learner's point.

    Parameters
    ----------
    config : PrecopyConfig
        The learner's VM; its memory, workload kind, checkpoint and policy settings are kept,
        only dirty rate and link bandwidth vary across the plane.
    policies : sequence of {"vmotion", "qemu", "xen"}
        One panel per policy.
    color_by : {"outcome", "rounds", "downtime"}
    method : {"analytic", "simulate"}
        See the module docstring; the figure says which one it used.

    Examples
    --------
    >>> from vmotion_core.precopy import PrecopyConfig, Workload
    >>> fig = plot_convergence_map(PrecopyConfig(workload=Workload("uniform", 500)), n=6)
    >>> fig.axes[0].get_xlabel()
    'guest dirty rate (MiB/s, log)'
    """
    if color_by not in _COLOR_BY:
        raise ValueError(f"color_by: {color_by!r} is not one of {', '.join(_COLOR_BY)}")
    policies = tuple(policies)
    fig = new_figure(max(4.2 * len(policies) + 1.6, 8.0), 5.2)
    axes = fig.subplots(1, len(policies), squeeze=False, sharey=True)[0]
    grids = []
    for ax, pol in zip(axes, policies):
        grid = convergence_grid(config, pol, method, rates_mibps, bandwidths_gbps, n, max_time_s)
        grids.append(grid)
        mesh = _draw_panel(ax, grid, config, color_by)
        ax.set_title(f"{pol} policy", fontsize=10)
    for ax in axes[1:]:
        ax.set_ylabel("")
    how = ("geometric model: every write dirties a new page, no SDPS (pessimistic)"
           if method == "analytic" else
           f"page-level simulation, {config.workload.kind} writes, "
           f"{len(grids[0]['rates_mibps'])}x{len(grids[0]['bandwidths_gbps'])} grid, "
           f"pre-copy capped at {grids[0]['max_time_s']:g} s")
    fig.suptitle(f"Where does pre-copy converge? {config.memory_gib:g} GiB VM, coloured by "
                 f"{color_by}\n{how}", x=0.01, ha="left", fontsize=10.5)
    if color_by == "outcome":
        present = sorted(set(np.concatenate([g["outcome"].ravel() for g in grids])))
        handles = [Patch(facecolor=OUTCOMES[k][1], hatch=OUTCOMES[k][2], edgecolor="black",
                         label=OUTCOMES[k][0]) for k in present]
        handles.append(Line2D([], [], color="black", linestyle="--",
                              label="dirty rate = link rate"))
        fig.legend(handles=handles, loc="outside lower center", ncol=2 if len(policies) < 3
                   else 3, fontsize=8, frameon=False)
    else:
        bar = fig.colorbar(mesh, ax=list(axes), fraction=0.04, pad=0.02)
        fmt = FuncFormatter(lambda v, _pos: f"{v:g}")
        bar.ax.yaxis.set_major_formatter(fmt)
        bar.ax.yaxis.set_minor_formatter(fmt)
        bar.set_label("pre-copy rounds" if color_by == "rounds" else
                      "stun time (ms, log; red = never switches over)")
    fig.convergence_grids = grids
    return set_alt_text(fig, _alt(config, grids, color_by, how))


def _alt(config, grids, color_by, how):
    parts = []
    for g in grids:
        bws, rates = g["bandwidths_gbps"], g["rates_mibps"]
        i = int(np.abs(np.log(bws / config.link.bandwidth_gbps)).argmin())
        j = int(np.abs(np.log(rates / max(config.workload.dirty_rate_mibps, 1e-9))).argmin())
        share_ok = float(np.mean(g["outcome"] <= 2))
        parts.append(f"{g['policy']}: the VM switches over in {share_ok:.0%} of the plane; at your point "
                     f"({config.workload.dirty_rate_mibps:g} MiB/s, "
                     f"{config.link.bandwidth_gbps:g} Gbit/s): "
                     f"{OUTCOMES[int(g['outcome'][i, j])][0]}")
    return (f"Map of dirty rate (x, log) against link bandwidth (y, log) for a "
            f"{config.memory_gib:g} GiB VM, coloured by {color_by}; {how}. A dashed diagonal "
            f"marks dirty rate equal to link rate; convergence lies above it. "
            + "; ".join(parts) + ".")
