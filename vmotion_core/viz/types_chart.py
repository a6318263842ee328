"""Migration-type decision chart: for each kind of migration, what changes and what it needs.

Facts come from ``shared/reference/vmotion-facts.md`` §1 (VMware vSphere documentation and
KB 2106949); the row labels are the ones :func:`vmotion_core.migration.classify` returns.
"""

from __future__ import annotations

from matplotlib.patches import Rectangle

from ._style import PALETTE, new_figure, set_alt_text

__all__ = ["MIGRATION_TYPES", "plot_migration_types"]

_CHANGES, _STAYS, _MAY = "changes", "stays", "optional"

#: label -> (wizard / doc name, VM power state, host, datastore, vCenter, site, needs, source)
MIGRATION_TYPES = {
    "compute-only": ("vMotion: change compute resource only", "on", _CHANGES, _STAYS, _STAYS,
                     _STAYS, "storage shared by both hosts; vMotion vmknic on both",
                     "vSphere 8 docs, Host Configuration for vMotion"),
    "storage-only": ("Storage vMotion: change storage only", "on", _STAYS, _CHANGES, _STAYS,
                     _STAYS, "host reaches both datastores; no vMotion network needed",
                     "vSphere 6.7 docs, Storage vMotion requirements"),
    "compute+storage": ("vMotion without shared storage: change both", "on", _CHANGES, _CHANGES,
                        _STAYS, _STAYS, "vMotion network carries memory and disks; ESXi 5.1+",
                        "vSphere 6.5/7.0 docs, vMotion without shared storage"),
    "cold": ("Cold migration", "off", _MAY, _MAY, _MAY, _MAY,
             "no CPU checks (64-bit warning only); NFC copy over TCP 902",
             "vSphere 8 docs, Cold Migration"),
    "suspended": ("Migration of a suspended VM", "suspended", _MAY, _MAY, _MAY, _STAYS,
                  "destination CPU must be compatible to resume", "vSphere docs, suspended VM"),
    "cross-vcenter": ("Cross-vCenter vMotion", "on", _CHANGES, _MAY, _CHANGES, _STAYS,
                      "UI: Enhanced Linked Mode, same SSO domain; clocks in sync",
                      "vSphere 6.7 docs, cross-vCenter requirements"),
    "long-distance": ("Long-distance vMotion", "on", _CHANGES, _MAY, _MAY, _CHANGES,
                      "RTT ≤ 150 ms; licence with long-distance vMotion",
                      "KB 2106949; vSphere 8 docs"),
}

_COLUMNS = ("VM power", "Host", "Datastore", "vCenter", "Site")
_CELL = {_CHANGES: (PALETTE["blue"], "white", "✓ changes"),
         _MAY: (PALETTE["sky"], "black", "○ optional"),
         _STAYS: ("white", "#555555", "– stays")}
_POWER = {"on": "● on", "off": "○ off", "suspended": "◐ suspended"}


def plot_migration_types(highlight: str | None = None):
    """Draw the decision chart of migration types; optionally frame one row.

    Parameters
    ----------
    highlight : str, optional
        A label from :data:`MIGRATION_TYPES` (as returned by ``classify(...).label``) to frame,
        e.g. the type of the migration the learner just ran.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> fig = plot_migration_types(highlight="compute-only")
    >>> fig.axes[0].get_title(loc="left")
    'Which migration is it? What changes, and what it needs'
    """
    if highlight is not None and highlight not in MIGRATION_TYPES:
        raise ValueError(f"highlight: {highlight!r} is not one of {', '.join(MIGRATION_TYPES)}")
    rows = list(MIGRATION_TYPES.items())
    fig = new_figure(12.5, 5.4)
    ax = fig.add_subplot()
    # column x-extents in axis units: name | 5 state columns | needs
    edges = [0.0, 3.6, 4.7, 5.8, 6.9, 8.0, 9.1, 13.7]
    n = len(rows)
    ax.set_xlim(0, edges[-1])
    ax.set_ylim(n + 0.1, -1.0)
    ax.axis("off")
    heads = ("Migration type  (classify label)",) + _COLUMNS + ("Needs (source)",)
    for j, head in enumerate(heads):
        ax.text((edges[j] + edges[j + 1]) / 2 if 0 < j < 6 else edges[j] + 0.08, -0.5, head,
                ha="center" if 0 < j < 6 else "left", va="center", fontsize=10,
                fontweight="bold")
    for i, (label, (name, power, *states, needs, source)) in enumerate(rows):
        y = i + 0.5
        if i % 2:
            ax.add_patch(Rectangle((0, i), edges[-1], 1, color="#F6F6F6", zorder=0))
        ax.text(0.08, y - 0.15, name, va="center", fontsize=9.5)
        ax.text(0.08, y + 0.22, label, va="center", fontsize=8.5, family="monospace",
                color="#444444")
        ax.text((edges[1] + edges[2]) / 2, y, _POWER[power], ha="center", va="center",
                fontsize=9)
        for k, state in enumerate(states):
            face, ink, word = _CELL[state]
            x0 = edges[k + 2] + 0.06
            ax.add_patch(Rectangle((x0, i + 0.14), edges[k + 3] - edges[k + 2] - 0.12, 0.72,
                                   facecolor=face, edgecolor="#777777", linewidth=0.6))
            ax.text((edges[k + 2] + edges[k + 3]) / 2, y, word, ha="center", va="center",
                    fontsize=8.5, color=ink)
        ax.text(edges[6] + 0.12, y - 0.15, needs, va="center", fontsize=8.5)
        ax.text(edges[6] + 0.12, y + 0.22, source, va="center", fontsize=7.5,
                color="#555555", style="italic")
        if label == highlight:
            ax.add_patch(Rectangle((0.01, i + 0.03), edges[-1] - 0.02, 0.94, fill=False,
                                   edgecolor=PALETTE["vermillion"], linewidth=2.5, zorder=5))
    ax.set_title("Which migration is it? What changes, and what it needs", loc="left",
                 fontsize=12)
    sentences = [f"{label}: {name}; VM {power}; host {s[0]}, datastore {s[1]}, vCenter {s[2]}, "
                 f"site {s[3]}; needs {needs}."
                 for label, (name, power, *s, needs, _src) in rows]
    mark = f" The row '{highlight}' is framed." if highlight else ""
    return set_alt_text(fig, "Chart of the seven vSphere migration types and what each one "
                             "changes. " + " ".join(sentences) + mark)
