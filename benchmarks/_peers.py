"""The peers the pre-copy benchmark measures the project's engine against.

- **Numba**: the same model written the way a Numba user would: the same round loop, Poisson
  write counts and stop policies (it *is* the project's ``PrecopyRun``, so the model cannot
  drift), but every write of every round is replayed by a ``@njit`` loop (splitmix64 counter,
  Lemire range reduction, 1 bit per page) and the new dirty pages are counted with a popcount
  at the end. It has none of the engine's shortcuts (per-page marking or a Binomial count when
  a round has more writes than a region has pages, region counting for huge rounds). The pages
  it picks are bit for bit the compiled kernel's, so where the engine takes no shortcut the
  results are identical (checked by ``--check``).
- **NumPy**: the project's engine on its NumPy twin kernel (``backend="python"``).

Numba is an optional extra (``pip install -e .[bench]``), never a runtime dependency.
"""

import functools

import numpy as np

from vmotion_core.precopy import PrecopyRun
from vmotion_core.precopy._dirty import DirtyTracker
from vmotion_core.precopy._rng import derive_key


@functools.lru_cache(maxsize=None)
def numba_kernel():
    """Compile and return ``(mark, popcount)``: the per-write loop and the popcount."""
    import numba

    u = np.uint64
    golden, m1, m2 = u(0x9E3779B97F4A7C15), u(0xBF58476D1CE4E5B9), u(0x94D049BB133111EB)
    lo32 = u(0xFFFFFFFF)

    @numba.njit(inline="always")
    def mix64(z):
        z = (z ^ (z >> u(30))) * m1
        z = (z ^ (z >> u(27))) * m2
        return z ^ (z >> u(31))

    @numba.njit(inline="always")
    def mulhi(a, b):  # high word of the 128-bit product (Numba has no 128-bit integers)
        a_lo, a_hi, b_lo, b_hi = a & lo32, a >> u(32), b & lo32, b >> u(32)
        lo_lo, hi_lo, lo_hi = a_lo * b_lo, a_hi * b_lo, a_lo * b_hi
        cross = (lo_lo >> u(32)) + (hi_lo & lo32) + (lo_hi & lo32)
        return a_hi * b_hi + (hi_lo >> u(32)) + (lo_hi >> u(32)) + (cross >> u(32))

    @numba.njit(nogil=True)
    def mark(bitmap, key, n, lo, hi):
        span, ctr, base = u(hi - lo), u(key), u(lo)
        for _ in range(n):
            ctr += golden
            page = base + mulhi(mix64(ctr), span)
            bitmap[page >> u(6)] |= u(1) << (page & u(63))

    @numba.njit(nogil=True)
    def popcount(words):
        total = 0
        for i in range(words.shape[0]):
            x = words[i]  # SWAR popcount; LLVM turns it into POPCNT on CPUs that have it
            x = x - ((x >> u(1)) & u(0x5555555555555555))
            x = (x & u(0x3333333333333333)) + ((x >> u(2)) & u(0x3333333333333333))
            x = (x + (x >> u(4))) & u(0x0F0F0F0F0F0F0F0F)
            total += (x * u(0x0101010101010101)) >> u(56)
        return total

    return mark, popcount


class _NumbaTracker(DirtyTracker):
    """The project's dirty tracker with every random write replayed by the Numba loop."""

    def __init__(self, config, kernel):
        super().__init__(config, kernel)
        self._nb_mark, self._nb_popcount = numba_kernel()

    def _page_level(self, ops):  # no region counting: always the bitmap
        return True

    def _random(self, lo, hi, n, segment, region, index):
        if n <= 0 or hi <= lo:
            return 0
        key = derive_key(self.config.seed, index, segment, region)
        words = self.bitmap[lo >> 6:((hi - 1) >> 6) + 1]
        before = self._nb_popcount(words)
        self._nb_mark(self.bitmap, np.uint64(key), n, lo, hi)
        return int(self._nb_popcount(words) - before)


class NumbaMigration(PrecopyRun):
    """The project's round loop with every write replayed by the Numba loop (see above)."""

    def __init__(self, config, seed=None):
        super().__init__(config, seed=seed, backend="python")  # twin only for sweeps (unused)
        self._pages = _NumbaTracker(self.config, self._kernel)
