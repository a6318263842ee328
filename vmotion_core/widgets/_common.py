"""Shared pieces of the widgets: a flicker-free figure view and small control helpers.

Why an ``Image`` widget: the browser keeps showing the old picture until the new PNG bytes have
arrived and decoded, so an update never blanks the view (an ``Output`` widget with
``clear_output`` can). The figure stays one persistent matplotlib Figure, redrawn into the same
axes, and is encoded with a fast PNG setting. The alt text is shown in a collapsed "Text
description" block under the image (an ``Image`` widget with a ``tooltip`` fails to render in
JupyterLab 4 with ipywidgets 8.1, so the description cannot ride on the image itself).
"""

from __future__ import annotations

import html
import io

import ipywidgets as widgets
from PIL import Image as _PILImage

from ..viz import alt_text

__all__ = ["FigureView", "WidgetApp", "fast_png", "labelled", "summary_table", "reset_axes"]


class WidgetApp:
    """Mixin: an object with a ``.widget`` displays as that widget in Jupyter."""

    widget: widgets.Widget

    def _repr_mimebundle_(self, **kwargs):
        return self.widget._repr_mimebundle_(**kwargs)


def reset_axes(ax) -> None:
    """Remove what was drawn on ``ax`` but keep its ticks and scales.

    ``Axes.clear()`` throws the tick objects away and the next draw rebuilds them, which is most
    of the cost of a redraw; removing only the data artists keeps an update well under 100 ms.
    """
    for artist in (*ax.patches, *ax.lines, *ax.texts, *ax.collections, *ax.images):
        artist.remove()
    ax.containers.clear()  # bar containers would otherwise feed old handles to the legend
    if ax.get_legend() is not None:
        ax.get_legend().remove()


def fast_png(fig) -> bytes:
    """Draw ``fig`` with Agg and encode it as PNG at low compression (speed over bytes)."""
    fig.canvas.draw()
    width, height = fig.canvas.get_width_height()
    img = _PILImage.frombuffer("RGBA", (width, height), fig.canvas.buffer_rgba(), "raw",
                               "RGBA", 0, 1)
    buf = io.BytesIO()
    img.convert("RGB").save(buf, format="png", compress_level=1)
    return buf.getvalue()


class FigureView:
    """One persistent ``ipywidgets.Image``; :meth:`show` swaps in a new rendering of a figure.

    ``renders`` counts the updates (tests assert on it); ``alt`` keeps the current alt text.
    """

    def __init__(self, max_width: str = "960px"):
        self.image = widgets.Image(format="png",
                                   layout=widgets.Layout(width="100%", max_width=max_width))
        self.description = widgets.HTML()
        self.renders = 0
        self.alt = ""
        # empty until the first picture: an Image without data shows a broken-image icon
        self.widget = widgets.VBox([])

    def show(self, fig) -> None:
        self.image.value = fast_png(fig)
        if not self.widget.children:
            self.widget.children = (self.image, self.description)
        self.alt = alt_text(fig)
        self.description.value = ("<details><summary>Text description of the figure</summary>"
                                  f"<p>{html.escape(self.alt)}</p></details>")
        self.renders += 1


def labelled(control, help_text: str):
    """Give a control a tooltip (read by screen readers as its description) and return it."""
    control.tooltip = help_text
    return control


def summary_table(rows, caption: str = "") -> str:
    """Return an accessible HTML table from ``(label, value)`` pairs."""
    cap = f"<caption style='text-align:left;font-weight:bold'>{html.escape(caption)}</caption>" \
        if caption else ""
    body = "".join(f"<tr><th scope='row' style='text-align:left;padding-right:1em'>"
                   f"{html.escape(str(k))}</th><td>{html.escape(str(v))}</td></tr>"
                   for k, v in rows)
    return f"<table class='vmotion-summary'>{cap}{body}</table>"
