"""Which pages the guest dirties during one pre-copy round: the only place that tracks pages.

:class:`DirtyTracker` turns a round's time span into guest writes and counts the distinct pages
they dirty, which become the next round's send set (the round loop is in ``engine.py``).

- The per-round write **count** is drawn here, in shared Python: Poisson with mean
  ``rate x time x (1 - throttle)`` from a NumPy generator seeded with (seed, round, segment), or
  exactly ``rate x time`` with a running fractional carry (``exact_writes``). Which **pages** the
  writes hit is the kernel's integer work (counter-based splitmix64), so the compiled kernel and
  the NumPy twin give bit-identical results.
- When a round has more writes than a region has pages, each page is instead dirtied
  independently with the probability ``1 - (1 - 1/H)^n`` (work O(pages), not O(writes)); when
  only the count matters (one workload in the round, no heat map) the count is drawn directly
  from that Binomial(H, P), or set to its mean with ``exact_writes``. This has the same expected
  dirty set as replaying the writes (V12).
- Rounds too big for the bitmap (memory beyond ``PAGE_LEVEL_MAX_PAGES``, 4 TiB of 4 KiB pages, or
  once the migration's page-level work passes ``PAGE_LEVEL_BUDGET_NS``) are counted per memory
  region instead (``_regions.py``): the same model in distribution, in bounded time and memory.
"""

from __future__ import annotations

import math

import numpy as np

from ..units import MiB
from . import _regions
from ._rng import derive_key

__all__ = ["DirtyTracker", "HEATMAP_CELLS", "PAGE_LEVEL_MAX_PAGES", "PAGE_LEVEL_BUDGET_NS"]

HEATMAP_CELLS = 65_536
# Rounds run page by page on the bitmap while the bitmap stays small enough (a 4 TiB VM's is
# 128 MiB) and the page work of the whole migration stays within a budget (estimated compiled
# kernel time); beyond, rounds are counted per region (_regions.py): the same model in
# distribution, in bounded time and memory, so every configuration answers in seconds.
PAGE_LEVEL_MAX_PAGES = 2**30
PAGE_LEVEL_BUDGET_NS = 0.3e9
_TWO64 = float(2**64)


class DirtyTracker:
    """The guest's writes of one migration, round by round, on a page bitmap or per region.

    ``kernel`` is the page kernel module (``_kernel`` or ``_kernel_py``). After each
    :meth:`round`, ``detail`` says how that round was counted (``"pages"`` or ``"regions"``).
    """

    def __init__(self, config, kernel):
        self.config = config
        self.kernel = kernel
        n = config.n_pages
        self.bitmap = None  # allocated by the first page-level round
        self.detail = "pages"
        self._page_ns = 0.0  # estimated page-level work so far (see PAGE_LEVEL_BUDGET_NS)
        self._region_heat = []  # (round, dirty segments) of rounds counted per region
        # a power of two, so the kernels find a page's cell with a shift
        self.cell_pages = 1 << max(0, (-(-n // HEATMAP_CELLS) - 1).bit_length())
        self._heat = (np.full(-(-n // self.cell_pages), -1, dtype=np.int32)
                      if config.heatmap else None)
        self._phases = config.workload.phase_list()
        self._carry = 0.0      # exact_writes: fractional write carried to the next draw
        self._hot_carry = 0.0  # exact_writes: fractional hot-set share carried
        self._sweep_pos = 0
        self._count_only = False

    def round(self, index, start, duration, throttle):
        """Apply the writes of round ``index`` (``start`` to ``start + duration`` seconds, guest
        throttled by ``throttle``); return (writes, distinct pages dirtied)."""
        end = start + duration
        spans = [(seg, max(start, p0), min(end, p1), wl)
                 for seg, (p0, p1, wl) in enumerate(self._phases) if min(end, p1) > max(start, p0)]
        # one workload, disjoint regions, no heat map: only the count of dirty pages matters
        self._count_only = self._heat is None and len(spans) == 1
        ops, writes = [], 0
        for segment, lo_t, hi_t, wl in spans:
            rate_pages = wl.dirty_rate_mibps * MiB / self.config.page_bytes
            n = self._draw(rate_pages * (hi_t - lo_t) * (1.0 - throttle), index, segment)
            writes += n
            ops += self._plan(wl, n, index, segment)
        if self._page_level(ops):
            self.detail = "pages"
            return writes, self._mark_pages(ops, index)
        self.detail = "regions"
        return writes, self._count_regions(ops, index)

    def heatmap(self):
        """The finished heat map (last round each cell was dirtied, -1 never), or None."""
        if self._heat is None:
            return None
        if self._region_heat:
            _regions.stamp_heat(self._heat, self.cell_pages, self._region_heat, self.config.seed)
            self._region_heat = []
        return self._heat.copy()

    # -- write counts ---------------------------------------------------------------------------
    def _draw(self, mean, index, segment):
        if mean <= 0:
            return 0
        if self.config.exact_writes or mean > 1e12:
            # exact rate x time; beyond 1e12 the Poisson spread (1e-6 relative) is negligible
            total = self._carry + mean
            n = math.floor(total)
            self._carry = total - n
            return int(n)
        rng = np.random.default_rng([self.config.seed, index, segment, 0x5EED])
        return int(rng.poisson(mean))

    def _split_hot(self, n, share, index, segment):
        if self.config.exact_writes:
            total = self._hot_carry + n * share
            n_hot = min(n, math.floor(total))
            self._hot_carry = total - n_hot
            return int(n_hot)
        rng = np.random.default_rng([self.config.seed, index, segment, 0xB07])
        return int(rng.binomial(n, share))

    def _plan(self, wl, n, index, segment):
        """The round's writes of one workload as ("random", lo, hi, n, segment, region) and
        ("sweep", n) operations."""
        if n == 0:
            return []
        total = self.config.n_pages
        if wl.kind == "sweep":
            return [("sweep", n)]
        if wl.kind == "uniform":
            return [("random", 0, total, n, segment, 0)]
        hot = min(total, max(1, round(wl.hot_fraction * total)))
        n_hot = n if hot == total else self._split_hot(n, wl.hot_share, index, segment)
        return [("random", 0, hot, n_hot, segment, 1),
                ("random", hot, total, n - n_hot, segment, 2)]

    # -- page level or per region -------------------------------------------------------------
    def _page_level(self, ops):
        """Whether this round runs on the page-level bitmap (else it is counted per region)."""
        total = self.config.n_pages
        if total > PAGE_LEVEL_MAX_PAGES:
            return False
        # rough compiled-kernel costs: a word cleared or counted ~0.5 ns; a write ~2 ns while the
        # bitmap fits the caches (<= 16 MiB), ~12 ns beyond, +1 ns with a heat map; a page of
        # mark_bernoulli ~2 ns
        per_write = (2.0 if total <= 2**27 else 12.0) + (self._heat is not None)
        ns = total / 64 * 1.5  # clear the bitmap, count
        for op in ops:
            if op[0] == "sweep":
                ns += min(op[1], total) / 64
                continue
            _, lo, hi, n, _, _ = op
            if n <= hi - lo:
                ns += n * per_write
            elif not self._count_only:
                ns += (hi - lo) * 2.0
        if self._page_ns + ns > PAGE_LEVEL_BUDGET_NS:
            return False
        self._page_ns += ns
        return True

    def _mark_pages(self, ops, index):
        if self.bitmap is None:
            self.bitmap = np.zeros((self.config.n_pages + 63) // 64, dtype=np.uint64)
        else:
            self.bitmap.fill(0)
        dirtied = 0
        for op in ops:
            if op[0] == "sweep":
                dirtied += self._sweep(op[1], index)
            else:
                dirtied += self._random(*op[1:], index=index)
        return dirtied

    def _count_regions(self, ops, index):
        """The round's distinct dirty pages counted per region (module ``_regions``)."""
        total = self.config.n_pages
        batches = [op[1:4] for op in ops if op[0] == "random"]
        covered = [span for op in ops if op[0] == "sweep" for span in self._sweep_ranges(op[1])]
        rng = np.random.default_rng([self.config.seed, index, 0x5E6])
        dirtied, segments = _regions.count_round(rng, total, batches, covered)
        if self._heat is not None and segments:
            self._region_heat.append((index, segments))  # stamped once, at the end
        return dirtied

    def _random(self, lo, hi, n, segment, region, index):
        """``n`` uniform writes into pages ``[lo, hi)``; return the new distinct dirty pages."""
        k, size = self.kernel, hi - lo
        if n <= 0 or size <= 0:
            return 0
        key = derive_key(self.config.seed, index, segment, region)
        if n <= size:
            return k.mark_uniform(self.bitmap, key, n, lo, hi, self._heat, self.cell_pages,
                                  index)
        # more writes than pages: each page is dirty with P = 1 - (1 - 1/H)^n, independently
        p = -math.expm1(n * math.log1p(-1.0 / size)) if size > 1 else 1.0
        threshold = int(p * _TWO64)
        if threshold >= 2**64:
            return k.mark_range(self.bitmap, lo, hi, self._heat, self.cell_pages, index)
        if self._count_only:  # the same Binomial(H, P) count, without touching H pages
            if self.config.exact_writes:
                return int(round(size * p))
            rng = np.random.default_rng([self.config.seed, index, segment, region, 0xC0])
            return int(rng.binomial(size, p))
        return k.mark_bernoulli(self.bitmap, key, lo, hi, threshold, self._heat,
                                self.cell_pages, index)

    def _sweep_ranges(self, n):
        """Page ranges the next ``n`` sequential writes cover (wrapping at the end of memory);
        advances the sweep position."""
        total, pos = self.config.n_pages, self._sweep_pos
        self._sweep_pos = (pos + n) % total
        if n >= total:
            return [(0, total)]
        if pos + n <= total:
            return [(pos, pos + n)]
        return [(pos, total), (0, pos + n - total)]

    def _sweep(self, n, tag):
        k = self.kernel
        return sum(k.mark_range(self.bitmap, lo, hi, self._heat, self.cell_pages, tag)
                   for lo, hi in self._sweep_ranges(n))
