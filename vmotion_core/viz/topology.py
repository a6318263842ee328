"""Environment topology: hosts with their vmknics, switches and uplinks, VMs, datastore mounts.

One column per host, at most :data:`HOSTS_PER_ROW` columns side by side (more hosts wrap into
further rows, so the text stays readable at notebook width). Inside a column: the host, each
VMkernel adapter (IP, port group, VLAN, MTU, services), each switch (port groups with VLANs,
physical uplinks and whether their link is up) and the VMs it runs. Under the hosts, a grid shows
which host mounts which datastore. Findings of a
compatibility check are drawn on the objects they name (matched by inventory path) with a numbered
marker, and listed underneath.
"""

from __future__ import annotations

import re
import textwrap

from matplotlib.patches import FancyBboxPatch

from ..units import format_nic_speed
from ._style import PALETTE, ROLE, new_figure, set_alt_text

__all__ = ["plot_topology", "topology_items", "HOSTS_PER_ROW"]

#: Host columns per row. 3 x 2.75 in fits a notebook's ~9 in output width at 100 % scale.
HOSTS_PER_ROW = 3
_COL_W = 2.75      # inches per host column
_LINE_H = 0.165    # inches per text line
_PAD = 0.07
_FILL = {"host": "#E8F1F8", "vmknic": "#FFFFFF", "switch": "#F4F4F4", "vm": "#FFF7E0"}


def _uplink_text(host, names):
    ups = {u.name: u for u in host.uplinks}
    parts = [f"{n} ?" if n not in ups else
             f"{n} {'up' if ups[n].link_up else 'DOWN'} {format_nic_speed(ups[n].speed_mbps)}"
             for n in names]
    return "uplinks: " + (", ".join(parts) if parts else "none (internal only)")


def topology_items(env) -> list[list[tuple[str, str, list[str]]]]:
    """Per host, the boxes to draw: ``(kind, inventory path, text lines)``."""
    columns = []
    for host in env.hosts:
        vlans = {pg.name: pg.vlan for sw in env.host_switches(host.name)
                 for pg in sw.port_groups}
        site = f" · site {env.host_site(host.name)}" if env.sites else ""
        items = [("host", env.path("host", host.name),
                  [host.name, f"ESXi {host.version} · {host.cluster or 'standalone'}{site}"])]
        for vmk in host.vmknics:
            services = ", ".join(vmk.services) if vmk.services else "no services"
            stack = "" if vmk.tcpip_stack == "default" else f" · {vmk.tcpip_stack} stack"
            vlan = vlans.get(vmk.port_group)
            items.append(("vmknic", env.path("vmknic", host.name, vmk.name), [
                f"{vmk.name}  {vmk.ip}/{vmk.prefix}" + ("" if vmk.enabled else " (disabled)"),
                f"{vmk.port_group}" + (f" · VLAN {vlan}" if vlan is not None else "")
                + f" · MTU {vmk.mtu}",
                f"services: {services}{stack}"]))
        for sw in env.host_switches(host.name):
            if hasattr(sw, "members"):  # distributed: this host's membership names its uplinks
                path, name = env.path("distributed-switch", sw.name), f"{sw.name} (distributed)"
                uplinks = next(m for m in sw.members if m.host == host.name).uplinks
            else:
                path, name = env.path("standard-switch", host.name, sw.name), sw.name
                uplinks = sw.uplinks
            pgs = ", ".join(f"{pg.name} ({pg.vlan})" for pg in sw.port_groups)
            items.append(("switch", path, [f"{name} · MTU {sw.mtu}",
                                           *textwrap.wrap(f"port groups: {pgs}", 40),
                                           *textwrap.wrap(_uplink_text(host, uplinks), 40)]))
        for vm in env.vms_on(host.name):
            items.append(("vm", env.path("vm", vm.name),
                          [f"VM {vm.name} · {vm.memory_gib:g} GiB · {vm.power_state}"]))
        columns.append(items)
    return columns


def _match(paths, obj):
    """The drawn path that names ``obj`` or, failing that, its nearest drawn parent."""
    return max((p for p in paths if obj == p or obj.startswith(p + "/")), key=len, default=None)


_END = re.compile(r"([\w.-]+)/(vmk\d+)\b")


def _where(env, paths, f):
    """The drawn path a finding's badge goes on.

    Path findings (no route, MTU) name the *source's* vMotion adapter as their object, where the
    copy would first fail; their message names both ends (``esx-41/vmk1 ... esx-43/vmk1``). When
    the source is one of several destinations' common end, a badge there would sit on the one
    healthy host, so the badge goes on the other end the message names."""
    own = _match(paths, f.object)
    for host, vmk in _END.findall(f.message):
        if any(h.name == host for h in env.hosts):
            other = env.path("vmknic", host, vmk)
            if other != own and other in paths:
                return other
    return own


def _draw_column(ax, col, x0, y, marks):
    """Draw one host column (host box, vmknics, switches, VMs) from ``(x0, y)`` downwards."""
    for kind, path, text in col:
        h = len(text) * _LINE_H + 2 * _PAD
        found = marks.get(path, [])
        severity = "error" if any(f.severity == "error" for _i, f in found) else (
            "warning" if found else None)
        edge = ROLE[severity] if severity else "#888888"
        ax.add_patch(FancyBboxPatch((x0 + (0.0 if kind == "host" else 0.08), y),
                                    _COL_W - (0.15 if kind == "host" else 0.31), h,
                                    boxstyle="round,pad=0,rounding_size=0.05",
                                    facecolor=_FILL[kind], edgecolor=edge,
                                    linewidth=2.4 if severity else 0.8,
                                    linestyle="-" if severity != "warning" else "--"))
        for k, line in enumerate(text):
            ax.text(x0 + (0.07 if kind == "host" else 0.15), y + _PAD + (k + 0.5) * _LINE_H,
                    line, fontsize=8.5 if (kind == "host" and k == 0) else 7,
                    fontweight="bold" if k == 0 else "normal", va="center",
                    family="DejaVu Sans")
        if found:
            label = ",".join(str(i) for i, _f in found)
            ax.text(x0 + _COL_W - 0.28, y + 0.02, f"⚠ {label}", fontsize=8, ha="right",
                    va="center", color="white", fontweight="bold",
                    bbox={"boxstyle": "round,pad=0.15", "fc": edge, "ec": edge})
        y += h + 0.08


def plot_topology(env, findings=(), title: str | None = None):
    """Draw the environment; highlight ``findings`` (from ``check_migration``) on their objects.

    Examples
    --------
    >>> from vmotion_core.inventory import load_scenario
    >>> fig = plot_topology(load_scenario("healthy-cluster"))
    >>> "esx-01" in [t.get_text() for t in fig.axes[0].texts]
    True
    """
    columns = topology_items(env)
    paths = [p for col in columns for _k, p, _t in col]
    marks: dict[str, list[tuple[int, object]]] = {}
    placed = {}
    for i, f in enumerate(findings, 1):
        target = placed[i] = _where(env, paths, f)
        if target is not None:
            marks.setdefault(target, []).append((i, f))
    heights = [sum(len(t) * _LINE_H + 2 * _PAD + 0.08 for _k, _p, t in col) for col in columns]
    per_row = max(1, min(HOSTS_PER_ROW, len(columns)))
    rows = [list(range(i, min(i + per_row, len(columns))))
            for i in range(0, len(columns), per_row)]
    row_h = [max(heights[c] for c in r) for r in rows]
    width = max(per_row * _COL_W, 8.0) + 0.3
    ds_h = (len(env.datastores) + 2) * 0.22 + 0.2
    finding_lines = []
    def short(path):
        return path.split("/", 3)[-1] if path.count("/") >= 3 else path

    for i, f in enumerate(findings, 1):
        where = short(f.object)
        if placed[i] and placed[i] != _match(paths, f.object):  # a path finding: name both ends
            where = f"{where} -> {short(placed[i])}"
        colour = ROLE["error"] if f.severity == "error" else "#333333"
        finding_lines += [(line, colour) for line in textwrap.wrap(
            f"[{i}] {f.severity.upper()} {f.code} at {where}: {f.message}", int((width - 0.3) * 15))]
    top = 0.55
    hosts_h = sum(row_h) + 0.3 * (len(rows) - 1)
    height = top + hosts_h + ds_h + 0.25 + len(finding_lines) * 0.17 + 0.1
    fig = new_figure(width, height, layout=None)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, width)
    ax.set_ylim(height, 0)
    ax.axis("off")
    ax.text(0.15, 0.25, title or f"Environment '{env.name}': hosts, vmknics, switches, VMs and "
                                  f"datastores", fontsize=11, fontweight="bold", va="center")
    ax.text(0.15, 0.45, (env.story or "")[:160], fontsize=8, va="center", color="#444444")
    row_top = top
    for r, members in enumerate(rows):
        if r:  # a thin rule between rows of hosts
            ax.plot([0.15, width - 0.15], [row_top - 0.15] * 2, color="#DDDDDD", linewidth=0.8)
        for slot, c in enumerate(members):
            _draw_column(ax, columns[c], 0.15 + slot * _COL_W, row_top, marks)
        row_top += row_h[r] + 0.3
    # datastore mount grid: one column per host, after a column of datastore names
    y = top + hosts_h + 0.2
    hosts = env.hosts
    name_w = min(2.6, max(1.6, 0.07 * max((len(d.name) + len(d.type) + 6
                                           for d in env.datastores), default=10)))
    cell_w = min(0.95, (width - 0.3 - name_w) / max(len(hosts), 1))
    tilt = 30 if cell_w < 0.75 else 0
    ax.text(0.15, y, "datastores (● mounted, ◐ read-only, – not mounted)", fontsize=8,
            fontweight="bold", va="center")

    def col_x(c):
        return 0.15 + name_w + (c + 0.5) * cell_w

    for c, host in enumerate(hosts):
        ax.text(col_x(c), y + 0.22, host.name, ha="center", va="center", fontsize=7,
                color="#555555", rotation=tilt)
    for r, ds in enumerate(env.datastores):
        yy = y + (r + 2) * 0.22
        found = marks.get(env.path("datastore", ds.name), [])
        colour = ROLE["error"] if found else "black"
        ax.text(0.15, yy, f"{ds.name} ({ds.type})"
                + (f"  ⚠ {','.join(str(i) for i, _f in found)}" if found else ""),
                fontsize=7.5, va="center", color=colour)
        for c, host in enumerate(hosts):
            mark = ("◐" if host.name in ds.read_only_hosts else "●") if host.name in ds.hosts \
                else "–"
            ax.text(col_x(c), yy, mark, ha="center", va="center",
                    fontsize=9, color=PALETTE["blue"] if mark != "–" else "#999999")
    y += ds_h + 0.1
    for k, (line, colour) in enumerate(finding_lines):
        ax.text(0.15, y + k * 0.17, line, fontsize=7.5, va="center", color=colour)
    n_err = sum(f.severity == "error" for f in findings)
    summary = (f"{len(findings)} findings ({n_err} errors), marked on: "
               + "; ".join(f"[{i}] {f.code} on {f.object}" for i, f in enumerate(findings, 1))
               if findings else "No findings are highlighted.")
    host_txt = "; ".join(f"{col[0][2][0]}: " + ", ".join(t[0] for _k, _p, t in col[1:])
                         for col in columns)
    return set_alt_text(fig, f"Topology of environment {env.name}. {host_txt}. Datastores: "
                             + ", ".join(f"{d.name} mounted by {', '.join(d.hosts)}"
                                         for d in env.datastores) + f". {summary}")
