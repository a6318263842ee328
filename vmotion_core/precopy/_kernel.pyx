# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True
"""Compiled pre-copy kernel: marks page writes in a dirty bitmap (1 bit per page).

Same functions and bit-identical results as the NumPy twin ``_kernel_py`` (read its docstring
for the conventions): write ``j`` of a call hits page
``lo + mulhi64(mix64(key + (j + 1) * GOLDEN), hi - lo)``; every function returns the number of
pages that were clean before and stamps ``tag`` into ``heat[page // cell_pages]`` if ``heat`` is
given. The loops release the GIL.
"""

import numpy as np

from libc.stdint cimport uint64_t, int32_t, int64_t

__all__ = ["mark_uniform", "mark_range", "mark_bernoulli", "popcount", "NAME"]

NAME = "cython"

cdef extern from *:
    """
    #include <stdint.h>
    static inline uint64_t vm_mix64(uint64_t z) {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
        return z ^ (z >> 31);
    }
    static inline uint64_t vm_mulhi(uint64_t a, uint64_t b) {
    #if defined(__SIZEOF_INT128__)
        return (uint64_t)(((unsigned __int128)a * b) >> 64);
    #else
        uint64_t a_lo = a & 0xFFFFFFFFULL, a_hi = a >> 32, b_lo = b & 0xFFFFFFFFULL, b_hi = b >> 32;
        uint64_t lo_lo = a_lo * b_lo, hi_lo = a_hi * b_lo, lo_hi = a_lo * b_hi;
        uint64_t cross = (lo_lo >> 32) + (hi_lo & 0xFFFFFFFFULL) + (lo_hi & 0xFFFFFFFFULL);
        return a_hi * b_hi + (hi_lo >> 32) + (lo_hi >> 32) + (cross >> 32);
    #endif
    }
    #define VM_GOLDEN 0x9E3779B97F4A7C15ULL
    static inline int vm_popcount(uint64_t x) {
    #if defined(__GNUC__) || defined(__clang__)
        return __builtin_popcountll(x);
    #else
        int c = 0; while (x) { x &= x - 1; c++; } return c;
    #endif
    }
    """
    uint64_t vm_mix64(uint64_t z) nogil
    uint64_t vm_mulhi(uint64_t a, uint64_t b) nogil
    int vm_popcount(uint64_t x) nogil
    uint64_t VM_GOLDEN  # a C constant, so stores to the bitmap cannot alias it


_MAX64 = int("18446744073709551615")


cdef int32_t[::1] _heat_view(heat):
    if heat is None:
        return None
    return heat


def popcount(uint64_t[::1] bitmap):
    """Number of set bits (dirty pages) in the bitmap."""
    cdef Py_ssize_t i
    cdef int64_t total = 0
    with nogil:
        for i in range(bitmap.shape[0]):
            total += vm_popcount(bitmap[i])
    return total


def mark_uniform(uint64_t[::1] bitmap, uint64_t key, int64_t n, uint64_t lo, uint64_t hi,
                 heat=None, uint64_t cell_pages=1, int32_t tag=0):
    """Mark ``n`` writes to pages drawn uniformly from ``[lo, hi)``; return new dirty pages."""
    if n <= 0 or hi <= lo:
        return 0
    cdef int32_t[::1] hv = _heat_view(heat)
    cdef bint has_heat = heat is not None
    cdef uint64_t span = hi - lo, page, old, word, ctr = key
    cdef uint64_t *bits = &bitmap[0]
    cdef int64_t j, new = 0
    with nogil:
        if has_heat:
            for j in range(n):
                ctr += VM_GOLDEN
                page = lo + vm_mulhi(vm_mix64(ctr), span)
                word = page >> 6
                old = bits[word]
                new += ((old >> (page & 63)) & 1) ^ 1  # branch-free: the bitmap is random
                bits[word] = old | ((<uint64_t>1) << (page & 63))
                hv[page // cell_pages] = tag
        else:
            for j in range(n):
                ctr += VM_GOLDEN
                page = lo + vm_mulhi(vm_mix64(ctr), span)
                word = page >> 6
                old = bits[word]
                new += ((old >> (page & 63)) & 1) ^ 1
                bits[word] = old | ((<uint64_t>1) << (page & 63))
    return new


def mark_bernoulli(uint64_t[::1] bitmap, uint64_t key, uint64_t lo, uint64_t hi, threshold,
                   heat=None, uint64_t cell_pages=1, int32_t tag=0):
    """Mark each page ``p`` in ``[lo, hi)`` whose ``mix64(key + (p - lo + 1) * GOLDEN)`` is below
    ``threshold``; return new dirty pages."""
    if hi <= lo or threshold <= 0:
        return 0
    cdef uint64_t thr = min(threshold, _MAX64)
    cdef int32_t[::1] hv = _heat_view(heat)
    cdef bint has_heat = heat is not None
    cdef uint64_t page, bit, word, ctr = key
    cdef int64_t new = 0
    with nogil:
        page = lo
        while page < hi:
            ctr += VM_GOLDEN
            if vm_mix64(ctr) < thr:
                word = page >> 6
                bit = (<uint64_t>1) << (page & 63)
                if not (bitmap[word] & bit):
                    bitmap[word] |= bit
                    new += 1
                if has_heat:
                    hv[page // cell_pages] = tag
            page += 1
    return new


def mark_range(uint64_t[::1] bitmap, uint64_t lo, uint64_t hi, heat=None,
               uint64_t cell_pages=1, int32_t tag=0):
    """Mark every page in ``[lo, hi)``; return how many were clean before."""
    if hi <= lo:
        return 0
    cdef int32_t[::1] hv = _heat_view(heat)
    cdef bint has_heat = heat is not None
    cdef uint64_t w0 = lo >> 6, w1 = ((hi - 1) >> 6) + 1, w, mask
    cdef uint64_t full = 0xFFFFFFFFFFFFFFFFULL
    cdef uint64_t first = full << (lo & 63)
    cdef uint64_t end_bits = hi - ((w1 - 1) << 6)
    cdef uint64_t last = full if end_bits == 64 else (((<uint64_t>1) << end_bits) - 1)
    cdef int64_t new = 0
    cdef uint64_t c
    with nogil:
        for w in range(w0, w1):
            mask = full
            if w == w0:
                mask &= first
            if w == w1 - 1:
                mask &= last
            new += vm_popcount(mask & ~bitmap[w])
            bitmap[w] |= mask
        if has_heat:
            for c in range(lo // cell_pages, (hi - 1) // cell_pages + 1):
                hv[c] = tag
    return new
