"""Figures: pure functions from results to matplotlib Figures, each with alt text.

Every function returns a :class:`matplotlib.figure.Figure` (a :class:`VizFigure`, which shows
itself in notebooks as an ``<img>`` with its alt text). ``alt_text(fig)`` returns the description.
"""

from ._style import PALETTE, ROLE, VizFigure, alt_text, figure_to_png, new_figure, set_alt_text
from .animation import precopy_animation
from .convergence import convergence_grid, plot_convergence_map
from .heatmap import plot_heatmap
from .policies import compare_policies, plot_policy_comparison
from .topology import plot_topology
from .rounds import draw_rounds, plot_rounds
from .timeline import draw_timeline, plot_timeline
from .types_chart import MIGRATION_TYPES, plot_migration_types

__all__ = ["PALETTE", "ROLE", "VizFigure", "alt_text", "figure_to_png", "new_figure", "set_alt_text",
           "plot_rounds", "draw_rounds", "plot_timeline", "draw_timeline", "plot_heatmap",
           "plot_convergence_map", "convergence_grid", "plot_policy_comparison",
           "compare_policies", "precopy_animation", "plot_topology", "MIGRATION_TYPES", "plot_migration_types"]
