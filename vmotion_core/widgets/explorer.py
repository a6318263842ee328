"""Pre-copy explorer: move the sliders, watch pre-copy converge (or not).

Controls: memory, dirty rate, workload (uniform / hot set / sweep) and hot-set size, link
bandwidth and streams, switchover goal, stop policy, SDPS. Output: one persistent figure (rounds
chart above, timeline below) and a summary table (rounds, total time, stun time, data sent).

Every change re-runs :func:`vmotion_core.precopy.simulate_precopy` and redraws the same figure
into the same ``Image`` widget, so nothing flickers. Plain-Python state for tests and notebooks:
``config``, ``result``, ``update_count``, ``last_update_ms``, ``error``.
"""

from __future__ import annotations

import html
import time

import ipywidgets as widgets

from ..errors import VMotionError
from ..units import format_duration, format_rate, format_size
from ..viz import ROLE, new_figure, set_alt_text
from ..viz.rounds import describe_config, draw_rounds, rounds_alt_text
from ..viz.timeline import draw_timeline
from ._common import FigureView, WidgetApp, labelled, reset_axes, summary_table

__all__ = ["PrecopyExplorer", "EXPLORER_MAX_TIME_S"]

#: The explorer caps pre-copy at 5 simulated minutes so that a QEMU run that never converges
#: (QEMU has no round limit) answers in about a second instead of simulating a full hour.
EXPLORER_MAX_TIME_S = 300.0

_MEMORY_GIB = (1, 2, 4, 8, 16, 32, 64, 128, 256)
_BANDWIDTH_GBPS = (1, 10, 25, 40, 100)
# every control of the column: wide, labels aligned; sliders act when released
_ROW = {"style": {"description_width": "170px"}, "layout": widgets.Layout(width="460px")}
_SLIDER = dict(_ROW, continuous_update=False)


class PrecopyExplorer(WidgetApp):
    """Interactive pre-copy simulator (ipywidgets 8; every control works from the keyboard).

    Parameters
    ----------
    memory_gib, dirty_rate_mibps, bandwidth_gbps, goal_ms, policy
        Starting values; the default is the course's reference VM (16 GiB, 500 MiB/s, 10 GbE).
    sdps, workload, hot_percent, streams, seed
        Starting values of the other controls.

    Examples
    --------
    >>> ex = PrecopyExplorer()
    >>> ex.result.outcome
    'switched-over'
    >>> ex.controls["dirty_rate_mibps"].value = 1500
    >>> ex.update_count, ex.config.workload.dirty_rate_mibps
    (2, 1500.0)
    """

    def __init__(self, memory_gib=16, dirty_rate_mibps=500, bandwidth_gbps=10, goal_ms=500,
                 policy="vmotion", sdps=True, workload="uniform", hot_percent=10, streams=None,
                 seed=0):
        self.seed = seed
        self.update_count = 0
        self.last_update_ms = 0.0
        self.result = None
        self.config = None
        self.error = ""
        c = {}
        c["memory_gib"] = labelled(widgets.SelectionSlider(
            options=[(f"{g} GiB", g) for g in _MEMORY_GIB], value=memory_gib,
            description="VM memory", **_SLIDER), "Memory of the virtual machine")
        c["dirty_rate_mibps"] = labelled(widgets.IntSlider(
            value=dirty_rate_mibps, min=0, max=4000, step=50, description="Dirty rate (MiB/s)",
            **_SLIDER), "How fast the guest writes to memory (page writes x page size)")
        c["workload"] = labelled(widgets.Dropdown(
            options=[("uniform: writes anywhere", "uniform"),
                     ("hot set: most writes to a small part", "hotset"),
                     ("sweep: every write a new page", "sweep")],
            value=workload, description="Write pattern", **_ROW), "Where the guest's writes land")
        c["hot_percent"] = labelled(widgets.IntSlider(
            value=hot_percent, min=1, max=50, step=1, description="Hot set (% of memory)",
            **_SLIDER), "Share of memory that takes 90 % of the writes (hot-set pattern only)")
        c["bandwidth_gbps"] = labelled(widgets.SelectionSlider(
            options=[(f"{b} Gbit/s", b) for b in _BANDWIDTH_GBPS], value=bandwidth_gbps,
            description="vMotion link", **_SLIDER), "Line rate of the vMotion network")
        c["streams"] = labelled(widgets.Dropdown(
            options=[("automatic (vSphere 7.0 U2+)", "auto"), ("1", 1), ("2", 2), ("3", 3),
                     ("4", 4)], value="auto" if streams is None else streams,
            description="vMotion streams", **_ROW),
            "One stream reaches about 15 Gbit/s (KB 323379)")
        c["goal_ms"] = labelled(widgets.IntSlider(
            value=goal_ms, min=100, max=2000, step=50, description="Switchover goal (ms)",
            **_SLIDER), "vMotion switches over when the rest fits this goal; 500 ms per KB 436882")
        c["policy"] = labelled(widgets.Dropdown(
            options=[("vMotion (goal + SDPS)", "vmotion"), ("QEMU (downtime limit)", "qemu"),
                     ("Xen (29 rounds / 50 pages / 3x RAM)", "xen")], value=policy,
            description="Stop policy", **_ROW), "Rule that ends pre-copy")
        c["sdps"] = labelled(widgets.Checkbox(
            value=sdps, description="SDPS: slow the guest if it out-writes the link",
            indent=False, layout=widgets.Layout(width="auto")),
            "Stun During Page Send, vSphere 5.0+")
        self.controls = c
        self.view = FigureView(max_width="820px")
        self.heading = widgets.HTML()
        self.legend = widgets.HTML()
        self.summary = widgets.HTML()
        self.status = widgets.HTML()
        # fixed margins, no in-figure title or legend: text is most of the drawing cost, so
        # those live in HTML next to the picture (see benchmarks/explorer_bench.py)
        self._fig = new_figure(8.2, 5.6, layout=None, dpi=80)
        self._ax_rounds = self._fig.add_axes((0.25, 0.45, 0.65, 0.52))
        self._ax_time = self._fig.add_axes((0.25, 0.08, 0.65, 0.22))
        self._ax_throttle = self._ax_rounds.twinx()
        for control in c.values():
            control.observe(lambda _change: self.update(), names="value")
        controls = widgets.VBox(list(c.values()), layout=widgets.Layout(min_width="470px"))
        side = widgets.VBox([self.summary, self.status])
        self.widget = widgets.VBox([widgets.HBox([controls, side]), self.heading,
                                    self.view.widget, self.legend])
        self.update()

    # -- model -----------------------------------------------------------------------------
    def build_config(self):
        """The PrecopyConfig the controls describe (validated by the pre-copy package)."""
        from ..precopy import Link, Policy, PrecopyConfig, Workload

        v = {k: ctl.value for k, ctl in self.controls.items()}
        kind = v["workload"]
        workload = Workload(kind=kind, dirty_rate_mibps=float(v["dirty_rate_mibps"]),
                            **({"hot_fraction": v["hot_percent"] / 100.0} if kind == "hotset"
                               else {}))
        return PrecopyConfig(
            memory_gib=float(v["memory_gib"]), workload=workload,
            link=Link(bandwidth_gbps=float(v["bandwidth_gbps"]),
                      streams=None if v["streams"] == "auto" else v["streams"]),
            policy=Policy(name=v["policy"], goal_ms=float(v["goal_ms"]), sdps=bool(v["sdps"]),
                          max_time_s=EXPLORER_MAX_TIME_S),
            seed=self.seed)

    def update(self):
        """Re-run the simulation for the current controls and redraw in place."""
        from ..precopy import simulate_precopy

        t0 = time.perf_counter()
        c = self.controls
        c["hot_percent"].disabled = c["workload"].value != "hotset"
        c["sdps"].disabled = c["goal_ms"].disabled = c["policy"].value != "vmotion"
        try:
            cfg = self.build_config()
            res = simulate_precopy(cfg)
        except VMotionError as exc:  # a clear one-line message, never a traceback
            self.error = str(exc)
            self.status.value = f"<p role='alert' style='color:#D55E00'>{self.error}</p>"
            return
        self.error = ""
        self.config, self.result = cfg, res
        self._redraw(res)
        self.summary.value = summary_table(self.summary_rows(), "Result")
        self.update_count += 1
        self.last_update_ms = (time.perf_counter() - t0) * 1000.0
        self.status.value = (f"<p style='color:#555;font-size:85%'>updated in "
                             f"{self.last_update_ms:.0f} ms ({res.backend} kernel)</p>")

    def summary_rows(self):
        """The summary as (label, value) pairs: rounds, total time, stun time, data sent..."""
        r = self.result
        return [("outcome", ("switched over" if r.ok else "FAILED: VM stays on the source")
                 + ("" if r.converged else " (forced)")),
                ("pre-copy rounds", str(r.n_rounds)),
                ("total time", format_duration(r.total_time_s)),
                ("stun time", f"{r.downtime_ms:.0f} ms" if r.ok else "none (no switch-over)"),
                ("data sent", format_size(r.bytes_sent)),
                ("link (effective)", format_rate(r.effective_bps)),
                ("max throttle", f"{r.max_throttle:.0%}"),
                ("why it stopped", r.stop_reason)] + (
                    [("switchover goal", r.stun_note)] if r.stun_note else [])

    # -- view ------------------------------------------------------------------------------
    def _redraw(self, res):
        fig, ax, tax = self._fig, self._ax_rounds, self._ax_time
        for axes in (ax, tax, self._ax_throttle):
            reset_axes(axes)
        drawn = draw_rounds(ax, res, throttle_ax=self._ax_throttle, legend=False)
        draw_timeline(tax, res)
        verdict = ("FAILED" if not res.ok else
                   "switched over, SWITCHOVER GOAL MISSED" if res.stun_note else "switched over")
        self.heading.value = (
            f"<b>Pre-copy rounds (top) and timeline (bottom): {res.n_rounds} rounds, {verdict}"
            + (f", stun {res.downtime_ms:.0f} ms" if res.ok else "") + "</b><br>"
            + html.escape(describe_config(res.config)))
        self.legend.value = _legend_html(res, drawn)
        set_alt_text(fig, rounds_alt_text(res, drawn))
        self.view.show(fig)


def _swatch(colour, hatch=False, line=False):
    if line:
        return (f"<span style='display:inline-block;width:22px;border-top:2px dashed {colour};"
                f"vertical-align:middle'></span>")
    pattern = (f"background:repeating-linear-gradient(45deg,{colour} 0 3px,#fff 3px 5px)"
               if hatch else f"background:{colour}")
    return (f"<span style='display:inline-block;width:14px;height:11px;{pattern};"
            f"vertical-align:middle'></span>")


def _legend_html(res, drawn):
    """The rounds-chart legend as HTML (same colours and patterns as the figure)."""
    items = [(_swatch(ROLE["sent"]), "sent in the round"),
             (_swatch(ROLE["dirtied"], hatch=True), "dirtied during the round (sent next)")]
    if res.ok:
        items.append((_swatch(ROLE["stun"]), f"sent while stunned (pages + checkpoint), "
                                             f"{res.downtime_ms:.0f} ms"))
    if drawn["threshold"]:
        items.append((_swatch(ROLE["threshold"], line=True),
                      f"threshold: {drawn['threshold_label']} ({format_size(drawn['threshold'])})"))
    if res.max_throttle > 0:
        items.append((_swatch(ROLE["throttle"]), "guest slowed by throttling, % (right axis)"))
    return ("<div role='list' aria-label='legend' style='font-size:85%;columns:2;max-width:"
            "820px'>" + "".join(f"<div role='listitem'>{sw} {html.escape(text)}</div>"
                                 for sw, text in items) + "</div>")
