"""Figures: pure functions from results to matplotlib Figures, each with alt text.

Every function returns a :class:`matplotlib.figure.Figure` (a :class:`VizFigure`, which shows
itself in notebooks as an ``<img>`` with its alt text). ``alt_text(fig)`` returns the description.
"""

from ._style import PALETTE, ROLE, VizFigure, alt_text, figure_to_png
from .heatmap import plot_heatmap
from .rounds import draw_rounds, plot_rounds
from .timeline import draw_timeline, plot_timeline
from .types_chart import MIGRATION_TYPES, plot_migration_types

__all__ = ["PALETTE", "ROLE", "VizFigure", "alt_text", "figure_to_png",
           "plot_rounds", "draw_rounds", "plot_timeline", "draw_timeline", "plot_heatmap",
           "MIGRATION_TYPES", "plot_migration_types"]
