"""Memory heatmap: every cell of guest memory coloured by the last round that dirtied it.

A hot set (a small part of memory taking most writes) shows up as a band of late rounds; pages
written only early, or never after the first copy, stay pale.
"""

from __future__ import annotations

import numpy as np
from matplotlib.colors import BoundaryNorm, ListedColormap

from ..units import GiB, format_size
from ._style import new_figure, set_alt_text
from .rounds import describe_config

__all__ = ["plot_heatmap"]

_NEVER = "#F2F2F2"


def plot_heatmap(result, columns: int = 256):
    """Heatmap of ``result.heatmap`` (simulate with ``PrecopyConfig(heatmap=True)``).

    Parameters
    ----------
    result : PrecopyResult
        Must carry a heatmap (``heatmap=True`` in its config).
    columns : int
        Cells per row of the picture; memory is read left to right, top to bottom.

    Examples
    --------
    >>> from vmotion_core.precopy import PrecopyConfig, Workload, simulate_precopy
    >>> res = simulate_precopy(PrecopyConfig(memory_gib=1, heatmap=True,
    ...                        workload=Workload("hotset", 300, hot_fraction=0.1)))
    >>> plot_heatmap(res).axes[0].get_ylabel()
    'memory address (GiB from the start)'
    """
    if getattr(result, "heatmap", None) is None:
        raise ValueError("result.heatmap: this result has no heatmap; simulate with "
                         "PrecopyConfig(heatmap=True)")
    cells = np.asarray(result.heatmap, dtype=np.int64)
    n_rounds = max(result.n_rounds, int(cells.max(initial=-1)) + 1, 1)
    rows = int(np.ceil(cells.size / columns))
    grid = np.full(rows * columns, np.nan)
    grid[:cells.size] = cells
    grid = grid.reshape(rows, columns)
    cell_bytes = result.heatmap_cell_pages * result.config.page_bytes
    # -1 = not dirtied after it was copied in round 0; then one cividis shade per round
    from matplotlib import colormaps
    shades = colormaps["cividis"](np.linspace(0.0, 1.0, n_rounds))
    cmap = ListedColormap([_NEVER] + [tuple(c) for c in shades])
    norm = BoundaryNorm(np.arange(-1.5, n_rounds, 1.0), cmap.N)
    fig = new_figure(9.0, 2.2 + min(4.0, 9.0 * rows / columns))
    ax = fig.add_subplot()
    row_gib = cell_bytes * columns / GiB
    im = ax.imshow(np.ma.masked_invalid(grid), cmap=cmap, norm=norm, aspect="auto",
                   interpolation="nearest", extent=(0, columns, rows * row_gib, 0))
    ticks = np.arange(-1, n_rounds)
    if n_rounds > 12:
        ticks = np.unique(np.r_[-1, np.linspace(0, n_rounds - 1, 10).round().astype(int)])
    bar = fig.colorbar(im, ax=ax, ticks=ticks, fraction=0.05, pad=0.02)
    bar.set_ticklabels(["never" if t < 0 else str(t) for t in ticks])
    bar.set_label("last round that dirtied it")
    ax.set_xlabel(f"cell within the row (one cell = {format_size(cell_bytes)}, "
                  f"one row = {format_size(cell_bytes * columns)})")
    ax.set_ylabel("memory address (GiB from the start)")
    ax.set_title(f"Which round last dirtied each part of memory ({result.policy} policy, "
                 f"{result.n_rounds} rounds)\n{describe_config(result.config)}", loc="left",
                 fontsize=10)
    last = n_rounds - 1
    share_last = float(np.mean(cells == last)) if cells.size else 0.0
    share_never = float(np.mean(cells < 0)) if cells.size else 0.0
    return set_alt_text(fig, (
        f"Heatmap of guest memory in {cells.size} cells of {format_size(cell_bytes)}, coloured by "
        f"the last pre-copy round that dirtied each cell. {share_last:.0%} of the cells were "
        f"still being dirtied in the last round ({last}); {share_never:.0%} were never dirtied "
        f"after the first copy. {describe_config(result.config)}."))
