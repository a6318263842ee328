"""Network view: one host's VMkernel adapters, port groups and switches, checked live.

Tick or untick the vMotion service, change an IP address, prefix, VLAN or MTU: each change is
applied to the simulated environment (a new :class:`~vmotion_core.inventory.Environment`, with the
change recorded in ``env.changes``) and :func:`vmotion_core.compat.check_migration` runs again for
a migration that needs this host (by default the first VM elsewhere moving *to* it). The findings
list and the topology picture, with the findings marked on their objects, update in place.

Plain-Python state for tests: ``env``, ``host``, ``request``, ``findings``, ``update_count``,
``error``.
"""

from __future__ import annotations

import html

import ipywidgets as widgets

from ..errors import VMotionError
from ..viz import plot_topology
from ._common import FigureView, WidgetApp, labelled

__all__ = ["NetworkView"]

_MTUS = (1500, 9000)
_COLUMNS = ("adapter", "IPv4 / prefix", "port group", "VLAN", "MTU", "service")
# the port group column shrinks first: long names end in an ellipsis, full name in the tooltip
_GRID = "max-content max-content minmax(60px, 220px) max-content max-content max-content"


def _cell(text_html: str, title: str | None = None):
    """A one-line grid cell; text that does not fit ends in an ellipsis, the full text is its
    tooltip (``title``), so a long port group name never wraps the row or pushes it wider."""
    tip = f" title='{html.escape(title, quote=True)}'" if title else ""
    cell = widgets.HTML(f"<div{tip} style='white-space:nowrap;overflow:hidden;"
                        f"text-overflow:ellipsis'>{text_html}</div>",
                        layout=widgets.Layout(min_width="0", overflow="hidden"))
    cell.add_class("vmotion-cell")
    return cell


def _sized(control, width, help_text):
    """``control`` at a fixed width, with its tooltip."""
    control.layout = widgets.Layout(width=width)
    return labelled(control, help_text)


def _mtu_control(mtu, help_text):
    return _sized(widgets.Dropdown(options=_MTUS, value=mtu if mtu in _MTUS else 1500), "85px",
                  help_text)


# a flex item is never narrower than its content unless told so: without this the HTML widget's
# content box keeps the full text width, and the text is clipped without its ellipsis
_CELL_CSS = ("<style>.vmotion-cell > .widget-html-content, .vmotion-cell > "
             ".jupyter-widget-html-content {min-width:0;overflow:hidden}</style>")


class NetworkView(WidgetApp):
    """Edit a host's vMotion networking and see the compatibility checks react.

    Parameters
    ----------
    env : Environment
    host : str, optional
        Host to edit (default: the first host).
    request : MigrationRequest, optional
        The migration to check (default: the first powered-on VM on another host, moving to
        ``host``).

    Examples
    --------
    >>> from vmotion_core.inventory import load_scenario
    >>> nv = NetworkView(load_scenario("broken-vmotion-network"), host="esx-42")
    >>> [f.code for f in nv.findings]
    ['VMotionNotConfigured']
    >>> nv.controls["vmk1"]["vmotion"].value = True
    >>> nv.findings
    []
    """

    def __init__(self, env, host: str | None = None, request=None, show_topology: bool = True):
        from ..migration import MigrationRequest

        self.env = env
        self.host = host or env.hosts[0].name
        if request is None:
            vm = next((v for v in env.vms if v.host != self.host and v.power_state == "powered-on"),
                      None)
            request = MigrationRequest(vm=vm.name, target=self.host) if vm else None
        self.request = request
        self.findings: list = []
        self.update_count = 0
        self.error = ""
        self.show_topology = show_topology
        self.title = widgets.HTML()
        self.table = widgets.VBox()
        self.panel = widgets.HTML()
        self.changes = widgets.HTML()
        self.view = FigureView(max_width="1100px")
        self.controls: dict[str, dict[str, widgets.Widget]] = {}
        self._build_controls()
        parts = [self.title, self.table, self.panel, self.changes]
        if show_topology:
            parts.append(self.view.widget)
        self.widget = widgets.VBox(parts)
        self.update()

    # -- controls ------------------------------------------------------------------------
    def _host(self):
        return self.env.host(self.host)

    def _build_controls(self):
        host = self._host()
        cells = [_cell(f"<b>{h}</b>") for h in _COLUMNS]
        for vmk in host.vmknics:
            sw, pg = self.env.port_group(self.host, vmk.port_group) or (None, None)
            c = {
                "ip": _sized(widgets.Text(value=vmk.ip, continuous_update=False), "130px",
                             f"{vmk.name} IPv4 address"),
                "prefix": _sized(widgets.BoundedIntText(value=vmk.prefix, min=1, max=32), "60px",
                                 f"{vmk.name} prefix length"),
                "vlan": _sized(widgets.BoundedIntText(value=pg.vlan if pg else 0, min=0, max=4095,
                                                      disabled=pg is None), "70px",
                               f"VLAN of port group {vmk.port_group}"),
                "mtu": _mtu_control(vmk.mtu, f"{vmk.name} MTU"),
                "vmotion": _sized(widgets.Checkbox(value="vmotion" in vmk.services,
                                                   description="vMotion", indent=False), "90px",
                                  f"vMotion service on {vmk.name}"),
            }
            for key, ctl in c.items():
                ctl.observe(lambda ch, v=vmk.name, k=key: self._edit(v, k, ch.new), names="value")
            self.controls[vmk.name] = c
            where = f"{vmk.port_group} on {sw.name}" if sw else vmk.port_group
            cells += [_cell(f"<code>{html.escape(vmk.name)}</code>"),
                      widgets.HBox([c["ip"], widgets.HTML("/"), c["prefix"]]),
                      _cell(html.escape(vmk.port_group), title=where),
                      c["vlan"], c["mtu"], c["vmotion"]]
        # overflow auto: in a narrow notebook the grid scrolls sideways instead of hiding columns
        rows = [widgets.HTML(_CELL_CSS + "<b>VMkernel adapters</b>"),
                widgets.GridBox(cells, layout=widgets.Layout(
                    grid_template_columns=_GRID, grid_gap="2px 8px", align_items="center",
                    overflow="auto"))]
        rows.append(widgets.HTML("<b>Standard switches</b>"))
        switch_cells = []
        for sw in host.standard_switches:
            dd = _mtu_control(sw.mtu, f"MTU of {sw.name}")
            dd.observe(lambda ch, s=sw.name: self._edit_switch(s, ch.new), names="value")
            self.controls[sw.name] = {"mtu": dd}
            ups = ", ".join(sw.uplinks) or "no uplinks"
            switch_cells += [_cell(f"<code>{html.escape(sw.name)}</code>", title=sw.name),
                             _cell("MTU"), dd, _cell(f"uplinks: {html.escape(ups)}",
                                                     title=f"uplinks of {sw.name}: {ups}")]
        rows.append(widgets.GridBox(switch_cells, layout=widgets.Layout(
            grid_template_columns="minmax(90px, max-content) auto 85px minmax(0, 1fr)",
            grid_gap="2px 8px", align_items="center", overflow="auto")))
        self.table.children = rows

    # -- edits ---------------------------------------------------------------------------
    def _edit(self, vmk, key, value):
        env = self.env
        if key == "vmotion":
            self._apply(lambda: (env.enable_service if value else env.disable_service)(
                self.host, vmk, "vmotion"))
        elif key == "vlan":
            port_group = next(v.port_group for v in self._host().vmknics if v.name == vmk)
            sw, _pg = self.env.port_group(self.host, port_group)
            standard = any(s.name == sw.name for s in self._host().standard_switches)
            self._apply(lambda: env.set_port_group(
                sw.name, port_group, host=self.host if standard else None, vlan=int(value)))
        else:
            self._apply(lambda: env.set_vmknic(self.host, vmk, **{key: value}))

    def _edit_switch(self, switch, mtu):
        self._apply(lambda: self.env.set_switch(switch, host=self.host, mtu=int(mtu)))

    def _apply(self, change):
        """Make the new environment with ``change()`` and re-check, or show why it was refused."""
        try:
            self.env = change()
        except VMotionError as exc:  # e.g. "esx-43.vmk1.ip: '10.0.50.300' is not an IPv4 ..."
            self.error = str(exc)
            self.panel.value = (f"<p role='alert' style='color:#D55E00'>Not applied: "
                                f"{html.escape(self.error)}</p>") + self._findings_html()
            return
        self.update()

    # -- checks ----------------------------------------------------------------------------
    def update(self):
        """Re-run the compatibility checks on the current environment and redraw."""
        from ..compat import check_migration

        self.error = ""
        self.findings = list(check_migration(self.env, self.request)) if self.request else []
        self.update_count += 1
        req = self.request
        what = (f"Checking: migrate <b>{html.escape(req.vm)}</b> to <b>{html.escape(req.target)}"
                f"</b>" if req and req.target else "No migration to check")
        self.title.value = f"<h4 style='margin:4px 0'>Network of host {self.host}</h4>{what}"
        self.panel.value = self._findings_html()
        self.changes.value = ("<details><summary>Changes made here</summary><ul>" + "".join(
            f"<li>{html.escape(str(c))}</li>" for c in self.env.changes) + "</ul></details>"
                              if self.env.changes else "")
        if self.show_topology:
            self.view.show(plot_topology(self.env, self.findings))

    def _findings_html(self):
        head = "<div role='status' aria-live='polite'><b>Compatibility</b>"
        if not self.findings:
            return head + "<p style='color:#009E73'>✔ Compatibility checks succeeded.</p></div>"
        items = "".join(
            f"<li style='color:{'#D55E00' if f.severity == 'error' else '#B07A00'}'>"
            f"{'✗ Error' if f.severity == 'error' else '⚠ Warning'} {html.escape(f.code)}: "
            f"{html.escape(f.message)}</li>" for f in self.findings)
        return head + f"<ul style='padding-left:1em'>{items}</ul></div>"
