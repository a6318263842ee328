"""Region-level dirty counting: a round's distinct dirty pages without a page-level bitmap.

The dirty tracker (``_dirty.py``) uses this when a round would be too big for the bitmap (memory
beyond ``PAGE_LEVEL_MAX_PAGES``, or more page work than ``PAGE_LEVEL_BUDGET_NS``): a 24 TiB
VM has 6.4 G pages of 4 KiB, a 768 MiB bitmap.

Memory is cut into *segments* at every boundary that matters this round: the ends of each write
region (all memory, the hot set, the cold rest), the ends of the sweep's ranges and, with a heat
map, the heat-map cells. Inside a segment the guest's random writes are uniform and independent,
so the pages they dirty are a uniformly random set whose size follows the occupancy
distribution (``m`` writes into ``C`` pages, precopy-models.md V12):

- mean ``C (1 - a)`` with ``a = (1 - 1/C)^m``;
- variance ``C a (1 - a) + C (C - 1) a^2 e`` with ``e = (1 - 1/(C-1)^2)^m - 1`` (the usual
  ``C(C-1)(1-2/C)^m + C a - C^2 a^2``, rearranged so it does not cancel).

A region's writes are split over its segments by a multinomial draw (by segment size), so the
segments' counts add up to the same distribution as one region would give. Sweep ranges are
fixed runs of pages: a segment inside one is fully dirty. The result is the page-level model in
distribution, not bit for bit (tests/precopy/test_precopy_regions.py compares the two).

How a segment's count is drawn:

- exactly when ``C <= EXACT_LIMIT``: page ``d + 1`` of the set appears after a
  Geometric((C - d)/C) number of writes, so the count is how many of those waits fit in ``m``;
- else from the normal distribution with the exact mean and variance when the variance is at
  least ``NORMAL_MIN_VAR``;
- else (nearly no repeats, or nearly every page hit) as ``m`` minus a Poisson number of repeats
  or ``C`` minus a Poisson number of untouched pages, whichever is rarer.
"""

import math

import numpy as np

__all__ = ["occupancy", "occupancy_moments", "count_round"]

EXACT_LIMIT = 1024
NORMAL_MIN_VAR = 30.0


def occupancy_moments(m, c):
    """Mean and variance of the number of distinct pages ``m`` uniform writes hit among ``c``.

    >>> [round(v, 3) for v in occupancy_moments(2, 2)]   # 1 page or 2, even odds
    [1.5, 0.25]
    """
    if m <= 0 or c <= 0:
        return 0.0, 0.0
    if c == 1:
        return 1.0, 0.0
    log_a = m * math.log1p(-1.0 / c)
    a = math.exp(log_a)
    e = math.expm1(m * math.log1p(-1.0 / (c - 1.0) ** 2)) if c > 2 else -1.0
    return -c * math.expm1(log_a), max(0.0, c * a * (1 - a) + c * (c - 1) * a * a * e)


def occupancy(rng, m, c):
    """Draw the number of distinct pages that ``m`` uniform writes hit among ``c`` pages.

    >>> rng = np.random.default_rng(1)
    >>> occupancy(rng, 0, 10), occupancy(rng, 5, 1), occupancy(rng, 10**12, 1000)
    (0, 1, 1000)
    """
    if m <= 0 or c <= 0:
        return 0
    if c <= EXACT_LIMIT:
        d = np.arange(min(m, c), dtype=np.float64)
        waits = rng.geometric((c - d) / c)  # writes until page d + 1 of the set first appears
        return int(np.count_nonzero(np.cumsum(waits) <= m))
    mean, var = occupancy_moments(m, c)
    if var >= NORMAL_MIN_VAR:
        d = round(rng.normal(mean, math.sqrt(var)))
    elif m - mean <= c - mean:
        d = m - int(rng.poisson(m - mean))  # repeats are rare
    else:
        d = c - int(rng.poisson(c - mean))  # untouched pages are rare
    return min(max(d, 1), m, c)


def count_round(rng, n_pages, batches, covered):
    """Distinct dirty pages of one round, counted per segment.

    Parameters
    ----------
    rng : numpy.random.Generator
    n_pages : int
    batches : list of (lo, hi, m)
        ``m`` uniform random writes into pages ``[lo, hi)``.
    covered : list of (lo, hi)
        Page ranges written in full (the sweep).

    Returns
    -------
    (int, list)
        The distinct dirty pages, and the dirty segments as ``(lo, hi, dirty, full)`` for
        :func:`stamp_heat`.

    >>> count_round(np.random.default_rng(0), 1000, [], [(10, 20), (15, 30)])
    (20, [(10, 15, 5, True), (15, 20, 5, True), (20, 30, 10, True)])
    """
    edges = sorted({0, n_pages}.union(*[(lo, hi) for lo, hi, _ in batches], *covered))
    at = {e: i for i, e in enumerate(edges)}
    sizes = [b - a for a, b in zip(edges, edges[1:])]
    writes = [0] * len(sizes)
    for lo, hi, m in batches:
        a, b = at[lo], at[hi]
        if m <= 0 or b <= a:
            continue
        if b - a == 1:
            writes[a] += m
            continue
        span = hi - lo
        for k, part in enumerate(rng.multinomial(m, [size / span for size in sizes[a:b]])):
            writes[a + k] += int(part)
    full = {k for lo, hi in covered for k in range(at[lo], at[hi])}  # segments swept in full
    segments = []
    for k, size in enumerate(sizes):
        dirty = size if k in full else occupancy(rng, writes[k], size)
        if dirty:
            segments.append((edges[k], edges[k + 1], dirty, k in full))
    return sum(seg[2] for seg in segments), segments


def stamp_heat(heat, cell_pages, rounds, seed):
    """Stamp the heat map for rounds counted per region, latest round first.

    ``rounds`` is a list of ``(tag, segments)`` in round order (``segments`` from
    :func:`count_round`). A cell keeps the tag of the last round that dirtied it, so going
    backwards each cell is settled by the first round that hits it, and the walk stops once every
    cell is settled: a long migration costs no more than its last rounds. Each round draws from
    its own stream (``seed``, tag), so skipping earlier rounds changes nothing.
    """
    open_ = np.ones(len(heat), dtype=bool)  # cells no later round has dirtied yet
    for tag, segments in reversed(rounds):
        if not open_.any():
            break
        rng = np.random.default_rng([seed, tag, 0x4EA7])
        for lo, hi, dirty, full in segments:
            c0, c1 = lo // cell_pages, (hi - 1) // cell_pages + 1
            if not open_[c0:c1].any():
                continue
            hit = _touched(rng, cell_pages, lo, hi, dirty, full)
            if isinstance(hit, slice):
                hit = c0 + np.flatnonzero(open_[hit])
            else:
                hit = hit[open_[hit]]
            heat[hit] = tag
            open_[hit] = False


def _touched(rng, cell_pages, lo, hi, dirty, full):
    """The heat-map cells that hold some of the ``dirty`` pages of segment ``[lo, hi)``.

    The dirty pages are a uniformly random subset of the segment (unless ``full``). Few of them:
    draw their pages (with replacement, which may leave a cell out when two share a page, but
    never marks more cells than there are dirty pages). Many: each cell is dirty with probability
    ``1 - (1 - overlap / size)^dirty``, drawn per cell (all of them when a clean cell would be
    rarer than 1e-12). Returns cell indices, or a slice for a whole run of cells.
    """
    c0, c1 = lo // cell_pages, (hi - 1) // cell_pages + 1
    if dirty <= c1 - c0 and not full:
        return rng.integers(lo, hi, size=dirty) // cell_pages

    def p_clean(overlap):  # chance that a cell with this many of the segment's pages stays clean
        return math.exp(dirty * math.log1p(-overlap / (hi - lo))) if overlap < hi - lo else 0.0

    first = min(hi, (c0 + 1) * cell_pages) - lo
    last = hi - max(lo, (c1 - 1) * cell_pages)
    inner = p_clean(cell_pages) if c1 - c0 > 2 else 0.0
    if full or max(p_clean(first), p_clean(last), inner) < 1e-12:
        return slice(c0, c1)
    clean = np.full(c1 - c0, inner)
    clean[0], clean[-1] = p_clean(first), p_clean(last)
    return c0 + np.flatnonzero(rng.random(c1 - c0) >= clean)
