"""Figures: pure functions from results to matplotlib Figures, each with alt text.

Every function returns a :class:`matplotlib.figure.Figure` (a :class:`VizFigure`, which shows
itself in notebooks as an ``<img>`` with its alt text). ``alt_text(fig)`` returns the description.
"""

from ._style import PALETTE, ROLE, VizFigure, alt_text, figure_to_png
from .types_chart import MIGRATION_TYPES, plot_migration_types

__all__ = ["PALETTE", "ROLE", "VizFigure", "alt_text", "figure_to_png",
           "MIGRATION_TYPES", "plot_migration_types"]
