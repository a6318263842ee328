"""NumPy twin of the compiled pre-copy kernel (``_kernel.pyx``): same functions, same results.

The kernel does integer work only. Memory is a dirty bitmap (``uint64`` words, one bit per page,
page ``p`` is bit ``p & 63`` of word ``p >> 6``). Each function marks pages as written and returns
how many of them were clean before (distinct newly dirtied pages). Optionally it stamps ``tag``
(the round index) into ``heat[page // cell_pages]``, the downsampled "last round dirtied" record.

Random page choice: write ``j`` (0-based) of a call picks page
``lo + mulhi64(mix64(key + (j + 1) * GOLDEN), hi - lo)``, where ``mulhi64`` is the high word of the
128-bit product (Lemire's multiply-shift range reduction). All arithmetic is unsigned 64-bit with
wrap-around, which NumPy ``uint64`` arrays do natively, so this twin and the C loop agree bit for
bit. Work is done in chunks to keep memory flat.
"""

import numpy as np

from ._rng import GOLDEN, M1, M2, SPLITMIX

__all__ = ["mark_uniform", "mark_range", "mark_bernoulli", "popcount", "NAME", "SPLITMIX"]

NAME = "python"
_CHUNK = 1 << 20
_DENSE_MAX = 1 << 26  # bytes of the one-byte-per-page scratch array of mark_uniform
_U32 = np.uint64(0xFFFFFFFF)
_S27, _S30, _S31, _S32 = (np.uint64(s) for s in (27, 30, 31, 32))
_M1, _M2 = np.uint64(M1), np.uint64(M2)
_G = np.uint64(GOLDEN)
_ONE = np.uint64(1)
_63 = np.uint64(63)
_6 = np.uint64(6)

if hasattr(np, "bitwise_count"):  # NumPy >= 2.0
    def _popcount_words(words):
        return int(np.bitwise_count(words).sum(dtype=np.int64))
else:  # pragma: no cover - older NumPy
    _TABLE = np.array([bin(i).count("1") for i in range(256)], dtype=np.uint8)

    def _popcount_words(words):
        return int(_TABLE[np.ascontiguousarray(words).view(np.uint8)].sum(dtype=np.int64))


def _mix(z):
    """splitmix64 finaliser on a uint64 array, in place (one scratch array for the shifts)."""
    t = z >> _S30
    z ^= t
    z *= _M1
    np.right_shift(z, _S27, out=t)
    z ^= t
    z *= _M2
    np.right_shift(z, _S31, out=t)
    z ^= t
    return z


def _mulhi(a, b):
    """High 64 bits of ``a * b`` for uint64 array ``a`` (consumed) and Python int ``b`` (< 2**64).

    For ``b < 2**32`` (every span the page-level engine uses: at most 2**30 pages) the product is
    ``(a_hi b) 2**32 + a_lo b`` with both terms below 2**64, so the high word is
    ``(a_hi b + (a_lo b >> 32)) >> 32`` without overflow: two multiplications instead of four.
    """
    if b >> 32:
        b_lo, b_hi = np.uint64(b & 0xFFFFFFFF), np.uint64(b >> 32)
        a_lo, a_hi = a & _U32, a >> _S32
        lo_lo = a_lo * b_lo
        hi_lo = a_hi * b_lo
        lo_hi = a_lo * b_hi
        cross = (lo_lo >> _S32) + (hi_lo & _U32) + (lo_hi & _U32)
        return a_hi * b_hi + (hi_lo >> _S32) + (lo_hi >> _S32) + (cross >> _S32)
    b = np.uint64(b)
    lo = a & _U32
    a >>= _S32
    a *= b
    lo *= b
    lo >>= _S32
    a += lo
    a >>= _S32
    return a


def _counter_values(key, start, stop):
    """``mix64(key + (j + 1) * GOLDEN)`` for ``j`` in ``[start, stop)``."""
    j = np.arange(start + 1, stop + 1, dtype=np.uint64)
    j *= _G
    j += np.uint64(key)
    return _mix(j)


def _set_bits(bitmap, pages):
    """Set the bits of ``pages`` (a uint64 array, consumed) in ``bitmap``; repeats are fine."""
    words = pages >> _6
    pages &= _63
    np.bitwise_or.at(bitmap, words, np.left_shift(_ONE, pages, out=pages))


def _word_span(lo, hi):
    return lo >> 6, ((hi - 1) >> 6) + 1


def popcount(bitmap):
    """Number of set bits (dirty pages) in the bitmap."""
    return _popcount_words(bitmap)


def mark_uniform(bitmap, key, n, lo, hi, heat=None, cell_pages=1, tag=0):
    """Mark ``n`` writes to pages drawn uniformly from ``[lo, hi)``; return new dirty pages.

    >>> bm = np.zeros(2, dtype=np.uint64)
    >>> mark_uniform(bm, key=42, n=1000, lo=0, hi=100) == popcount(bm) <= 100
    True
    """
    if n <= 0 or hi <= lo:
        return 0
    w0, w1 = _word_span(lo, hi)
    before = _popcount_words(bitmap[w0:w1])
    span = hi - lo
    # many writes for the span: one byte per page, packed once at the end, beats bitwise_or.at
    # (1-2.5x, benchmarks/README.md); the scratch array is at most _DENSE_MAX bytes
    nbits = (w1 - w0) * 64
    flags = np.zeros(nbits, dtype=bool) if nbits <= min(_DENSE_MAX, 16 * n) else None
    for start in range(0, n, _CHUNK):
        pages = _mulhi(_counter_values(key, start, min(n, start + _CHUNK)), span)
        pages += np.uint64(lo)
        if heat is not None:
            heat[pages // np.uint64(cell_pages)] = tag
        if flags is None:
            _set_bits(bitmap, pages)
        else:
            pages -= np.uint64(w0 * 64)
            flags[pages] = True
    if flags is not None:
        bitmap[w0:w1] |= np.packbits(flags, bitorder="little").view("<u8")
    return _popcount_words(bitmap[w0:w1]) - before


def mark_bernoulli(bitmap, key, lo, hi, threshold, heat=None, cell_pages=1, tag=0):
    """Mark each page ``p`` in ``[lo, hi)`` with ``mix64(key + (p - lo + 1) * GOLDEN) < threshold``.

    Used when a round has more writes than the region has pages: then each page is dirty with
    probability ``1 - (1 - 1/H)**n``, which the caller turns into the integer ``threshold``
    (``probability * 2**64``). Work is O(pages) instead of O(writes). Returns new dirty pages.
    """
    if hi <= lo or threshold <= 0:
        return 0
    w0, w1 = _word_span(lo, hi)
    before = _popcount_words(bitmap[w0:w1])
    thr = np.uint64(min(threshold, (1 << 64) - 1))
    for start in range(0, hi - lo, _CHUNK):
        stop = min(hi - lo, start + _CHUNK)
        hit = np.flatnonzero(_counter_values(key, start, stop) < thr).astype(np.uint64)
        pages = hit + np.uint64(lo + start)
        if heat is not None:
            heat[pages // np.uint64(cell_pages)] = tag
        _set_bits(bitmap, pages)
    return _popcount_words(bitmap[w0:w1]) - before


def mark_range(bitmap, lo, hi, heat=None, cell_pages=1, tag=0):
    """Mark every page in ``[lo, hi)``; return how many were clean before.

    >>> bm = np.zeros(2, dtype=np.uint64)
    >>> mark_range(bm, 60, 70), mark_range(bm, 0, 128)
    (10, 118)
    """
    if hi <= lo:
        return 0
    w0, w1 = _word_span(lo, hi)
    before = _popcount_words(bitmap[w0:w1])
    full = np.uint64((1 << 64) - 1)
    first_mask = np.uint64(((1 << 64) - 1) << (lo & 63) & ((1 << 64) - 1))
    end_bits = hi - ((w1 - 1) << 6)  # bits used in the last word, 1..64
    last_mask = np.uint64((1 << end_bits) - 1)
    if w1 - w0 == 1:
        bitmap[w0] |= first_mask & last_mask
    else:
        bitmap[w0] |= first_mask
        bitmap[w0 + 1:w1 - 1] = full
        bitmap[w1 - 1] |= last_mask
    if heat is not None:
        heat[lo // cell_pages:(hi - 1) // cell_pages + 1] = tag
    return _popcount_words(bitmap[w0:w1]) - before
