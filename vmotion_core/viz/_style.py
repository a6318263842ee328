"""House style for every figure: a colour-blind-safe palette, one figure factory, alt text.

The palette is Okabe & Ito's eight colours ("Color Universal Design", 2008), which stay distinct
for the common forms of colour blindness. Meaning never rests on colour alone: bars also differ in
hatch or position, lines in style, and states carry a text label.
"""

from __future__ import annotations

import base64
import html
import io

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

__all__ = ["PALETTE", "ROLE", "VizFigure", "new_figure", "set_alt_text", "alt_text",
           "figure_to_png", "style_axes"]

#: Okabe-Ito colours by name.
PALETTE = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky": "#56B4E9",
    "green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "purple": "#CC79A7",
    "grey": "#999999",
    "light": "#EEEEEE",
}

#: One colour per meaning, used the same way in every figure.
ROLE = {
    "sent": PALETTE["blue"],
    "dirtied": PALETTE["orange"],
    "threshold": PALETTE["black"],
    "stun": PALETTE["vermillion"],
    "throttle": PALETTE["purple"],
    "ok": PALETTE["green"],
    "error": PALETTE["vermillion"],
    "warning": PALETTE["orange"],
    "neutral": PALETTE["grey"],
    "vmotion": PALETTE["blue"],
    "qemu": PALETTE["orange"],
    "xen": PALETTE["green"],
    "checks": PALETTE["grey"],
    "prep": PALETTE["sky"],
    "disk": PALETTE["green"],
    "precopy": PALETTE["blue"],
    "resume": PALETTE["purple"],
}

_DPI = 100


class VizFigure(Figure):
    """A matplotlib Figure that carries alt text and shows itself in notebooks.

    ``_repr_html_`` renders an ``<img>`` with the alt text, so screen readers in JupyterLab and on
    the book site get a description; ``_repr_png_`` is the plain image for other front ends.
    """

    alt: str = ""

    def _repr_png_(self) -> bytes:
        return figure_to_png(self)

    def _repr_html_(self) -> str:
        data = base64.b64encode(figure_to_png(self)).decode("ascii")
        alt = html.escape(self.alt or "figure", quote=True)
        return (f'<img src="data:image/png;base64,{data}" alt="{alt}" '
                f'style="max-width:100%;height:auto"/>')


def new_figure(width_in: float = 8.0, height_in: float = 4.5, layout: str | None = "constrained",
               dpi: float = _DPI) -> VizFigure:
    """Return an empty figure with an Agg canvas attached (no pyplot, no global state).

    ``layout=None`` gives fixed margins (set them with ``subplots_adjust``): faster to redraw,
    which the widgets need.
    """
    fig = VizFigure(figsize=(width_in, height_in), dpi=dpi, layout=layout)
    FigureCanvasAgg(fig)
    return fig


def set_alt_text(fig: Figure, text: str) -> Figure:
    """Attach a one-paragraph text description to ``fig`` and return it."""
    fig.alt = " ".join(str(text).split())
    return fig


def alt_text(fig: Figure) -> str:
    """Return the alt text of a figure made by :mod:`vmotion_core.viz`.

    Examples
    --------
    >>> from vmotion_core.viz import plot_migration_types, alt_text
    >>> alt_text(plot_migration_types()).startswith("Chart")
    True
    """
    text = getattr(fig, "alt", "")
    if not text:
        raise ValueError("figure has no alt text: make it with a vmotion_core.viz function")
    return text


def figure_to_png(fig: Figure, dpi: float | None = None) -> bytes:
    """Render ``fig`` to PNG bytes; the alt text goes into the PNG ``Description`` field.

    >>> from vmotion_core.viz import plot_migration_types
    >>> figure_to_png(plot_migration_types(), dpi=30)[1:4]
    b'PNG'
    """
    buf = io.BytesIO()
    meta = {"Description": getattr(fig, "alt", "") or "", "Software": "vmotion_core.viz"}
    fig.savefig(buf, format="png", dpi=dpi or fig.dpi, metadata=meta)
    return buf.getvalue()


def style_axes(ax, *, grid_axis: str = "y") -> None:
    """Light grid, no top/right spines: the data stands out, the frame does not."""
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    if grid_axis:
        ax.grid(True, axis=grid_axis, color=PALETTE["light"], linewidth=0.8, zorder=0)
        ax.set_axisbelow(True)
