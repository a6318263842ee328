"""Migrate wizard: the vSphere Client's Migrate dialog on a simulated environment.

Steps as in the vSphere Client (vmotion-facts.md §1, §2): select a migration type (change compute
resource only / storage only / both), a compute resource, storage, networks and the vMotion
priority, then review and Finish. A compatibility panel under the compute and storage steps
shows what :func:`vmotion_core.compat.check_migration` finds, the way vCenter reports it:
"Compatibility checks succeeded." or the errors and warnings vCenter's own pre-check reports.
Those errors block Next and Finish; warnings do not.

Findings vCenter's check would *not* report (``Finding.vcenter_checks`` False, e.g. a vMotion
vmknic in the wrong subnet, N1) never block, as in the vSphere Client: they sit in a separate,
collapsed "the simulator sees" block whose summary gives no detail away, so a learner can press
Finish and live through the late failure (the task starts and fails at the stage and progress the
rule catalogue gives, :attr:`MigrationResult.failed_at`). Finish runs
:func:`vmotion_core.migration.migrate` and shows the outcome its ``status`` names (with the
result's own sentences), the timeline and the log lines.

Plain-Python state for tests: ``request``, ``findings`` (all), ``vcenter_findings``,
``simulator_findings``, ``step``, ``result``, ``check_count``; ``next()``, ``back()`` and
``finish()`` do what the buttons do.
"""

from __future__ import annotations

import html

import ipywidgets as widgets

from ..compat import check_migration
from ..compat.rules import LATE_STAGES, RULES
from ..errors import VMotionError
from ..migration import migrate
from ..plan import CROSS_VCENTER_PATHS, MigrationRequest, classify
from ..viz import plot_timeline
from ._common import FigureView, WidgetApp, labelled, summary_table

__all__ = ["MigrateWizard", "WIZARD_TYPES"]

#: wizard choice -> (what it changes, as compute and storage flags); wording of the vSphere Client
WIZARD_TYPES = {"Change compute resource only": (True, False),
                "Change storage only": (False, True),
                "Change both compute resource and storage": (True, True)}
_STEPS = ("1 Select a migration type", "2 Select a compute resource", "3 Select storage",
          "4 Select networks", "5 Select vMotion priority", "6 Ready to complete")
_PRIORITY = {"Schedule vMotion with high priority (recommended)": "high",
             "Schedule regular vMotion": "regular"}
_WIDE = widgets.Layout(width="520px")


class MigrateWizard(WidgetApp):
    """The Migrate dialog for one VM of ``env`` (the first powered-on VM unless ``vm`` is given).

    Examples
    --------
    >>> from vmotion_core.inventory import load_scenario
    >>> wiz = MigrateWizard(load_scenario("healthy-cluster"), vm="web01")
    >>> wiz.next(); wiz.controls["target"].value = "esx-02"
    >>> wiz.compatibility_ok
    True
    >>> while wiz.step < 5: wiz.next()
    >>> wiz.finish().ok
    True
    """

    def __init__(self, env, vm: str | None = None, seed: int = 0):
        self.env = env
        self.seed = seed
        self.step = 0
        self.findings: list = []
        self.result = None
        self.request = None
        self.check_count = 0
        self.error = ""
        vms = [v.name for v in env.vms]
        if vm is None:
            vm = next((v.name for v in env.vms if v.power_state == "powered-on"), vms[0])
        c = {}
        c["vm"] = labelled(widgets.Dropdown(options=vms, value=vm, description="Migrate",
                                            layout=_WIDE), "Virtual machine to migrate")
        c["type"] = labelled(widgets.RadioButtons(options=list(WIZARD_TYPES),
                                                  value="Change compute resource only",
                                                  layout=_WIDE), "Migration type")
        c["target"] = labelled(widgets.Select(options=[], rows=6, layout=_WIDE,
                                              description="Compute"), "Host or cluster")
        c["datastore"] = labelled(widgets.Select(options=[], rows=5, layout=_WIDE,
                                                 description="Datastore"), "Target datastore")
        c["priority"] = labelled(widgets.RadioButtons(options=list(_PRIORITY), layout=_WIDE),
                                 "vMotion priority")
        self.controls = c
        self.network_controls: dict[str, widgets.Dropdown] = {}
        self.networks_box = widgets.VBox()
        self.compat = widgets.HTML()
        self.review = widgets.HTML()
        # fixed width: a narrow page (the book) must not squeeze the step list
        self.steps_html = widgets.HTML(layout=widgets.Layout(min_width="220px", flex="0 0 auto"))
        self.outcome = widgets.HTML()
        self.log = widgets.HTML()
        self.timeline = FigureView(max_width="860px")
        self.b_back = widgets.Button(description="Back", icon="arrow-left")
        self.b_next = widgets.Button(description="Next", button_style="primary")
        self.b_finish = widgets.Button(description="Finish", button_style="success")
        self.b_back.on_click(lambda _b: self.back())
        self.b_next.on_click(lambda _b: self.next())
        self.b_finish.on_click(lambda _b: self.finish())
        self.pages = [widgets.VBox([c["type"]]), widgets.VBox([c["target"]]),
                      widgets.VBox([c["datastore"]]), self.networks_box,
                      widgets.VBox([c["priority"]]), widgets.VBox([self.review])]
        self.page = widgets.Box([self.pages[0]])
        c["vm"].observe(self._on_vm, names="value")
        for key in ("type", "target", "datastore", "priority"):
            c[key].observe(self._on_change, names="value")
        body = widgets.VBox([widgets.HTML("<b>Migrate</b>"), c["vm"], self.page, self.compat,
                             widgets.HBox([self.b_back, self.b_next, self.b_finish])],
                            layout=widgets.Layout(min_width="560px"))
        self.widget = widgets.VBox([widgets.HBox([self.steps_html, body]), self.outcome,
                                    self.timeline.widget, self.log])
        self._on_vm()

    # -- choices -----------------------------------------------------------------------------
    @property
    def vm(self):
        return self.env.vm(self.controls["vm"].value)

    @property
    def changes(self) -> tuple[bool, bool]:
        return WIZARD_TYPES[self.controls["type"].value]

    def _target_options(self):
        env = self.env

        def where(h):
            return ", ".join(x for x in (h.cluster, env.host_vcenter(h.name).name) if x)
        hosts = [(f"host {h.name} ({where(h)})", h.name) for h in env.hosts
                 if h.name != self.vm.host]
        return hosts + [(f"cluster {cl.name} (DRS picks the host)", cl.name)
                        for cl in env.clusters if cl.drs_enabled]

    def _datastore_options(self):
        current = self.vm.config_datastore
        return [(f"{d.name} ({d.type}, {d.free_gib:g} GiB free)"
                 + ("  - current" if d.name == current else ""), d.name)
                for d in self.env.datastores]

    def _dest_host(self):
        compute, _storage = self.changes
        target = self.controls["target"].value if compute else self.vm.host
        if target and any(h.name == target for h in self.env.hosts):
            return target
        try:  # a cluster: classify knows which host DRS picks
            return classify(self.env, self._build_request()).target_host
        except VMotionError:
            return None

    def _rebuild_networks(self):
        host = self._dest_host()
        switches = self.env.host_switches(host) if host is not None else ()
        names = list(dict.fromkeys(pg.name for sw in switches for pg in sw.port_groups))
        self.network_controls = {}
        rows = [widgets.HTML("<b>Destination network for each VM network adapter</b>")]
        for nic in self.vm.nics:
            options = names or [nic.network]
            dd = labelled(widgets.Dropdown(
                options=options, value=nic.network if nic.network in options else options[0],
                description=nic.name, style={"description_width": "160px"}, layout=_WIDE),
                f"Source network {nic.network}")
            dd.observe(self._on_change, names="value")
            self.network_controls[nic.network] = dd
            rows.append(dd)
        self.networks_box.children = rows

    def _build_request(self):
        compute, storage = self.changes
        c = self.controls
        net = {src: dd.value for src, dd in self.network_controls.items()}
        return MigrationRequest(vm=c["vm"].value, target=c["target"].value if compute else None,
                                datastore=c["datastore"].value if storage else None,
                                network_map=net if compute else {},
                                priority=_PRIORITY[c["priority"].value])

    # -- events ------------------------------------------------------------------------------
    def _on_vm(self, _change=None):
        self.controls["target"].options = self._target_options()
        self.controls["datastore"].options = self._datastore_options()
        self.controls["datastore"].value = self.vm.config_datastore
        self.result = None
        self.outcome.value = self.log.value = ""
        self.step = 0
        self._rebuild_networks()
        self._refresh()

    def _on_change(self, change=None):
        if change is not None and change.get("owner") is self.controls["target"]:
            self._rebuild_networks()
        self._refresh()

    def _refresh(self):
        """Re-run the checks for the current choices and redraw the dialog."""
        self.error = ""
        try:
            self.request = self._build_request()
            self.findings = list(check_migration(self.env, self.request))
        except VMotionError as exc:
            self.request, self.findings, self.error = None, [], str(exc)
        self.check_count += 1
        self.compat.value = self._compat_html() if self.step in (1, 2, 3, 5) else ""
        self._show_step()

    @property
    def vcenter_findings(self) -> list:
        """The findings vCenter's pre-check reports (what the vSphere Client shows)."""
        return [f for f in self.findings if f.vcenter_checks]

    @property
    def simulator_findings(self) -> list:
        """Findings only the simulator sees; vCenter's check would pass them."""
        return [f for f in self.findings if not f.vcenter_checks]

    @property
    def compatibility_ok(self) -> bool:
        """True unless vCenter's pre-check reports an error (simulator-only ones never block)."""
        return not self.error and not any(f.severity == "error" for f in self.vcenter_findings)

    def _visible_steps(self):
        compute, storage = self.changes
        return [i for i in range(6) if not ((i == 1 and not compute) or (i == 2 and not storage)
                                             or (i == 3 and not compute))]

    def _show_step(self):
        steps = self._visible_steps()
        if self.step not in steps:
            self.step = min(s for s in steps if s >= self.step) if self.step < 5 else 5
        self.page.children = [self.pages[self.step]]
        self.steps_html.value = "<ol style='list-style:none;padding-left:0;min-width:210px'>" + "".join(
            f"<li aria-current='step' style='font-weight:bold;color:#0072B2'>{_STEPS[i]}</li>"
            if i == self.step else f"<li style='color:{'#333' if i in steps else '#bbb'}'>"
                                   f"{_STEPS[i]}</li>" for i in range(6)) + "</ol>"
        needs_ok = self.step in (1, 2, 3)
        self.b_back.disabled = self.step == steps[0]
        self.b_next.disabled = self.step == 5 or (needs_ok and not self.compatibility_ok)
        self.b_finish.disabled = (self.step != 5 or not self.compatibility_ok
                                  or self.result is not None)
        if self.step == 5:
            self.review.value = self._review_html()

    def next(self):
        """Go to the next step (as the Next button; refused while the checks show errors)."""
        if self.b_next.disabled:
            return
        steps = self._visible_steps()
        self.step = steps[steps.index(self.step) + 1]
        self._refresh()

    def back(self):
        steps = self._visible_steps()
        if self.step != steps[0]:
            self.step = steps[steps.index(self.step) - 1]
            self._refresh()

    def finish(self):
        """Run the migration (as Finish) and show its timeline and log; return the result."""
        if self.b_finish.disabled:
            return None
        self.result = res = migrate(self.env, self.request, seed=self.seed)
        self.b_finish.disabled = True  # one Relocate task per wizard, as in the vSphere Client
        self.outcome.value = _outcome_html(res)
        self.timeline.show(plot_timeline(res))
        self.log.value = ("<details open><summary>Log lines</summary><pre style='font-size:80%;"
                          "white-space:pre-wrap'>" + html.escape("\n".join(res.log_lines))
                          + "</pre></details>")
        return res

    # -- HTML ------------------------------------------------------------------------------
    def _compat_html(self):
        head = "<div role='status' aria-live='polite'><b>Compatibility</b>"
        if self.error:
            return head + f"<p style='color:#D55E00'>✗ {html.escape(self.error)}</p></div>"
        vc = self.vcenter_findings
        path = self._cross_vcenter_path() if self.request is not None else ""
        if path:
            head += f"<p><small>Path: {html.escape(CROSS_VCENTER_PATHS[path])}</small></p>"
        body = ("<p style='color:#009E73'>✔ Compatibility checks succeeded.</p>" if not vc else
                f"<ul style='padding-left:1em'>{''.join(_finding_li(f) for f in vc)}</ul>")
        return head + body + self._simulator_html() + "</div>"

    def _simulator_html(self):
        """The collapsed block of findings vCenter would not report (no spoiler in the summary)."""
        sim = self.simulator_findings
        if not sim:
            return ""
        n = len(sim)
        items = "".join(_finding_li(f, late=True) for f in sim)
        return ("<details class='vmotion-simulator-sees' style='border:1px dashed #999;"
                "padding:2px 8px;margin-top:4px;background:#F7F7F7'><summary style='color:#555;"
                "cursor:pointer;list-style:none'>▸ "
                f"The simulator sees {n} more {'issue' if n == 1 else 'issues'} "
                "(vCenter's check would pass) - open only if you want a spoiler</summary>"
                "<p style='margin:4px 0'><small>vCenter's pre-check does not test these, so the "
                "vSphere Client lets you press Finish. This simulator knows how the task will "
                f"go:</small></p><ul style='padding-left:1em'>{items}</ul></details>")

    def _review_html(self):
        r = self.request
        if r is None:
            return ""
        compute, storage = self.changes
        rows = [("Virtual machine", r.vm), ("Migration type", self.controls["type"].value)]
        if compute:
            rows.append(("Compute resource", r.target))
            rows += [(f"Network ({src})", dst) for src, dst in r.network_map]
        if storage:
            rows.append(("Storage", r.datastore))
        rows.append(("vMotion priority", r.priority))
        path = self._cross_vcenter_path()
        if path:
            rows.append(("Cross vCenter path", CROSS_VCENTER_PATHS[path]))
        return summary_table(rows, "Ready to complete")

    def _cross_vcenter_path(self):
        """The plan's cross-vCenter path ("" for a move inside one vCenter)."""
        try:
            return classify(self.env, self.request).cross_vcenter_path
        except VMotionError:
            return ""


def _finding_li(f, late=False):
    """One finding as a list item: icon, message, and a collapsed hint with the source."""
    icon, colour = ("✗ Error", "#D55E00") if f.severity == "error" else ("⚠ Warning", "#B07A00")
    then = ""
    r = RULES.get(f.rule_id)
    if late and f.severity == "error" and r is not None and r.late_failure:
        at = f" at about {r.fails_at_percent} %" if r.fails_at_percent is not None else ""
        then = (f" <i>The task would start and fail{at} during the "
                f"{html.escape(LATE_STAGES[r.fails_at])}.</i>")
    elif late and f.severity == "error":
        then = " <i>The simulator does not model how such a task ends; it will not run it.</i>"
    return (f"<li style='color:{colour}'>{icon}: {html.escape(f.message)}{then}"
            f"<details><summary>Hint</summary>{html.escape(f.fix)} "
            f"<small>({html.escape(f.source)})</small></details></li>")


#: The outcome lines, by ``result.status`` (the result's own sentences fill them in).
_OUTCOME = {
    "ok": "<p role='status' style='color:#009E73'><b>Relocate virtual machine: completed.</b> "
          "{kind}, stun {stun_ms:.0f} ms, {total_s:.1f} s in total.</p>",
    "slow": "<p role='alert' style='color:#8A5A00'><b>⚠</b> {note}</p>",
    "failed": "<p role='alert' style='color:#D55E00'><b>Relocate virtual machine: failed.</b> ",
    "failed-late": "Task started, then {brief}; {where}.<br><small>vCenter's pre-check passed: "
                   "{rule} {code} is not something it tests.</small></p>",
    "not-run": "Not run: {reason}<br><small>vCenter's pre-check would let this task start; the "
               "simulator does not model how it would end (see the simulator note in the log)."
               "</small></p>",
    "blocked": "{reason}</p>",
}


def _outcome_html(res):
    """The outcome of the task, as ``res.status`` says (never re-derived from findings)."""
    esc = html.escape
    if res.ok:
        out = _OUTCOME["ok"].format(kind=esc(res.migration_type), stun_ms=res.stun_ms,
                                    total_s=res.total_s)
        return out + (_OUTCOME["slow"].format(note=esc(res.stun_note)) if res.stun_note else "")
    lf = res.failed_at
    return _OUTCOME["failed"] + _OUTCOME[res.status].format(
        reason=esc(res.reason), brief=esc(lf.brief) if lf else "",
        where=esc(res.where_now), rule=esc(lf.rule_id) if lf else "",
        code=esc(lf.code) if lf else "")
