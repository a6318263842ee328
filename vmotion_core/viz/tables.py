"""Markdown tables for the course notebooks (they render in JupyterLab and on the static site).

The course modules used to define these helpers in a 40-line first cell that a learner had to
read past; they live here so a module starts with its imports. Column headers are the only
learner-visible strings, kept in :data:`HEADERS` for the translation.
"""

from __future__ import annotations

from ..units import format_duration

__all__ = ["markdown_table", "show_table", "show_vmknics", "show_findings", "show_phases",
           "HEADERS"]

HEADERS = {
    "vmknics": ("host", "vmk", "IP/prefix", "port group", "VLAN", "MTU", "stack", "services"),
    "findings": ("severity", "code", "vCenter sees it", "message"),
    "phases": ("phase", "starts at", "takes"),
}
_NO_FINDINGS = "**Compatibility checks succeeded.**"


def markdown_table(header, rows) -> str:
    """A Markdown table; ``|`` inside a cell is shown as ``/`` so it cannot break the table.

    Examples
    --------
    >>> print(markdown_table(["a", "b"], [(1, "x|y")]))
    | a | b |
    |---|---|
    | 1 | x/y |
    """
    def cell(c):
        return str(c).replace("|", "/")
    lines = ["| " + " | ".join(map(cell, header)) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(map(cell, row)) + " |" for row in rows]
    return "\n".join(lines)


def _show(text):
    from IPython.display import Markdown, display  # only where a notebook displays it
    display(Markdown(text))


def show_table(header, rows):
    """Display ``rows`` under ``header`` as a Markdown table."""
    _show(markdown_table(header, rows))


def show_vmknics(env, hosts=None):
    """One row per VMkernel adapter: address, port group, VLAN, MTU, TCP/IP stack, services."""
    rows = []
    for h in env.hosts:
        if hosts and h.name not in hosts:
            continue
        for v in h.vmknics:
            found = env.port_group(h.name, v.port_group)      # (switch, port group) or None
            rows.append((h.name, v.name, f"{v.ip}/{v.prefix}", v.port_group,
                         found[1].vlan if found else "?", v.mtu, v.tcpip_stack,
                         ", ".join(v.services) or "(none)"))
    show_table(HEADERS["vmknics"], rows)


def show_findings(findings):
    """Findings of a compatibility check; 'vCenter sees it' is **no** for simulator-only rules."""
    if not findings:
        _show(_NO_FINDINGS)
        return
    show_table(HEADERS["findings"],
               [(f.severity, f"`{f.code}`", "yes" if f.vcenter_checks else "**no**", f.message)
                for f in findings])


def show_phases(result):
    """The phases of a migration result: name, start, duration."""
    show_table(HEADERS["phases"], [(p.name, format_duration(p.start_s), format_duration(p.duration_s))
                                   for p in result.phases])
