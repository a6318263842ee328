# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True
"""Compiled pre-copy kernel: marks page writes in a dirty bitmap (1 bit per page).

Same functions and bit-identical results as the NumPy twin ``_kernel_py`` (read its docstring
for the conventions): write ``j`` of a call hits page
``lo + mulhi64(mix64(key + (j + 1) * GOLDEN), hi - lo)``; every function returns the number of
pages that were clean before and stamps ``tag`` into ``heat[page // cell_pages]`` if ``heat`` is
given. The loops are plain C (below) and run without the GIL.

Why the loops look as they do (benchmarks/README.md has the measurements):

- ``mark_uniform``, when its span's bitmap is larger than a typical L2 cache (1 MiB), draws each
  page 32 writes ahead and prefetches its word, so the cache misses of many writes overlap; it
  counts the new pages as a popcount difference
  over the touched words when that is cheaper than testing each write (a per-write test costs
  about 1 ns per write).
- ``mark_bernoulli`` builds one 64-bit mask per word (``new += popcount(mask & ~w); w |= mask``).
- Heat cells of a power-of-two size are found with a shift instead of a 64-bit division.
- popcount uses the POPCNT instruction where the CPU has it: the functions that count are built
  twice (``target_clones``) and the loader picks the right copy at run time, so the module still
  runs on a CPU without POPCNT and builds with any compiler.
"""

from libc.stdint cimport uint64_t, int32_t, int64_t

__all__ = ["mark_uniform", "mark_range", "mark_bernoulli", "popcount", "NAME", "SPLITMIX"]

NAME = "cython"

cdef extern from *:
    """
    #include <stdint.h>
    #include <stddef.h>
    /* splitmix64: must equal _rng.SPLITMIX (tests/test_lists_agree.py) */
    #define VM_GOLDEN 0x9E3779B97F4A7C15ULL
    #define VM_M1 0xBF58476D1CE4E5B9ULL
    #define VM_M2 0x94D049BB133111EBULL
    #define VM_AHEAD 32  /* prefetch distance in writes (a power of two) */
    #define VM_L2_WORDS (1u << 17)  /* 1 MiB of bitmap: beyond, prefetching pays */

    /* POPCNT where the CPU has it, chosen at load time (GNU ifunc); else the portable builtin */
    #if defined(__GNUC__) && defined(__x86_64__) && defined(__linux__) && defined(__has_attribute)
    #  if __has_attribute(target_clones)
    #    define VM_CLONES __attribute__((target_clones("arch=x86-64-v3", "popcnt", "default")))
    #  endif
    #endif
    #ifndef VM_CLONES
    #  define VM_CLONES
    #endif

    static inline uint64_t vm_mix64(uint64_t z) {
        z = (z ^ (z >> 30)) * VM_M1;
        z = (z ^ (z >> 27)) * VM_M2;
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
    static inline int vm_pop1(uint64_t x) {
    #if defined(__GNUC__) || defined(__clang__)
        return __builtin_popcountll(x);
    #else
        int c = 0; while (x) { x &= x - 1; c++; } return c;
    #endif
    }
    #if defined(__GNUC__) || defined(__clang__)
    #  define VM_PREFETCH(p) __builtin_prefetch((p), 1)
    #  define VM_INLINE static inline __attribute__((always_inline))
    #else
    #  define VM_PREFETCH(p) ((void)0)
    #  define VM_INLINE static inline
    #endif
    #if defined(__clang__)
    #  define VM_UNROLL4 _Pragma("clang loop unroll_count(4)")
    #elif defined(__GNUC__) && __GNUC__ >= 8
    #  define VM_UNROLL4 _Pragma("GCC unroll 4")
    #else
    #  define VM_UNROLL4
    #endif

    /* heat cell of a page: a shift for power-of-two cells (shift >= 0), else a division */
    VM_INLINE uint64_t vm_cell(uint64_t page, int shift, uint64_t cell_pages) {
        return shift >= 0 ? page >> shift : page / cell_pages;
    }
    static int vm_shift_of(uint64_t cell_pages) {
        if (cell_pages == 0 || (cell_pages & (cell_pages - 1))) return -1;
        return __builtin_ctzll(cell_pages);
    }

    static inline int64_t vm_popcount_body(const uint64_t *w, size_t n) {
        int64_t total = 0;
        for (size_t i = 0; i < n; i++) total += vm_pop1(w[i]);
        return total;
    }
    VM_CLONES int64_t vmotion_popcount_words(const uint64_t *w, size_t n) {
        return vm_popcount_body(w, n);
    }

    /* The writes of one call. With ahead != 0, write j's page is drawn VM_AHEAD writes before
       its bit is set and its word prefetched then, so the cache misses of many writes overlap
       (worth it only when the span's words do not fit the L2 cache). With count != 0 every
       write also tests its bit (the caller then skips the popcount). */
    VM_INLINE int64_t vm_uniform_body(uint64_t *bits, uint64_t key, int64_t n, uint64_t lo,
                                      uint64_t span, int32_t *heat, int shift, uint64_t cell_pages,
                                      int32_t tag, const int has_heat, const int count,
                                      const int ahead) {
        uint64_t ctr = key, ring[VM_AHEAD];
        int64_t fresh = 0, pre = !ahead ? 0 : n < VM_AHEAD ? n : VM_AHEAD;
        for (int64_t j = 0; j < pre; j++) {
            ctr += VM_GOLDEN;
            ring[j] = lo + vm_mulhi(vm_mix64(ctr), span);
            VM_PREFETCH(&bits[ring[j] >> 6]);
        }
        VM_UNROLL4
        for (int64_t j = 0; j < n; j++) {
            uint64_t p;
            if (ahead) {
                p = ring[j & (VM_AHEAD - 1)];
                if (j + VM_AHEAD < n) {
                    ctr += VM_GOLDEN;
                    uint64_t q = lo + vm_mulhi(vm_mix64(ctr), span);
                    ring[j & (VM_AHEAD - 1)] = q;
                    VM_PREFETCH(&bits[q >> 6]);
                }
            } else {
                ctr += VM_GOLDEN;
                p = lo + vm_mulhi(vm_mix64(ctr), span);
            }
            uint64_t bit = 1ULL << (p & 63), old = bits[p >> 6];
            if (count) fresh += (old & bit) == 0;
            bits[p >> 6] = old | bit;
            if (has_heat) heat[vm_cell(p, shift, cell_pages)] = tag;
        }
        return fresh;
    }

    #define VM_UNIFORM(HEAT, COUNT, AHEAD) \
        vm_uniform_body(bits, key, n, lo, span, heat, shift, cell_pages, tag, HEAT, COUNT, AHEAD)

    VM_CLONES int64_t vmotion_mark_uniform(uint64_t *bits, uint64_t key, int64_t n, uint64_t lo,
                                          uint64_t hi, int32_t *heat, uint64_t cell_pages,
                                          int32_t tag) {
        uint64_t span = hi - lo, w0 = lo >> 6, w1 = ((hi - 1) >> 6) + 1;
        int shift = vm_shift_of(cell_pages);
        int ahead = (w1 - w0) > VM_L2_WORDS;
        /* a popcount over the span's words costs well under 1 ns each; a per-write test ~1 ns */
        if ((uint64_t)n < (w1 - w0) / 4) {
            if (heat) return ahead ? VM_UNIFORM(1, 1, 1) : VM_UNIFORM(1, 1, 0);
            return ahead ? VM_UNIFORM(0, 1, 1) : VM_UNIFORM(0, 1, 0);
        }
        int64_t before = vm_popcount_body(bits + w0, w1 - w0);
        if (heat) { if (ahead) VM_UNIFORM(1, 0, 1); else VM_UNIFORM(1, 0, 0); }
        else { if (ahead) VM_UNIFORM(0, 0, 1); else VM_UNIFORM(0, 0, 0); }
        return vm_popcount_body(bits + w0, w1 - w0) - before;
    }

    VM_CLONES int64_t vmotion_mark_bernoulli(uint64_t *bits, uint64_t key, uint64_t lo,
                                            uint64_t hi, uint64_t thr, int32_t *heat,
                                            uint64_t cell_pages, int32_t tag) {
        uint64_t ctr = key, page = lo;
        int shift = vm_shift_of(cell_pages);
        int64_t fresh = 0;
        while (page < hi) {  /* one word per pass: build its mask, then or it in */
            uint64_t w = page >> 6, b0 = page & 63, b1 = 64, mask = 0;
            if (hi - (w << 6) < 64) b1 = hi - (w << 6);
            for (uint64_t b = b0; b < b1; b++) {
                ctr += VM_GOLDEN;
                mask |= (uint64_t)(vm_mix64(ctr) < thr) << b;
            }
            fresh += vm_pop1(mask & ~bits[w]);
            bits[w] |= mask;
            if (heat) {
                for (uint64_t m = mask; m; m &= m - 1)
                    heat[vm_cell((w << 6) + __builtin_ctzll(m), shift, cell_pages)] = tag;
            }
            page = (w << 6) + b1;
        }
        return fresh;
    }

    VM_CLONES int64_t vmotion_mark_range(uint64_t *bits, uint64_t lo, uint64_t hi) {
        uint64_t w0 = lo >> 6, w1 = ((hi - 1) >> 6) + 1, full = ~0ULL;
        uint64_t end_bits = hi - ((w1 - 1) << 6);
        uint64_t first = full << (lo & 63), last = end_bits == 64 ? full : ((1ULL << end_bits) - 1);
        int64_t fresh = 0;
        for (uint64_t w = w0; w < w1; w++) {
            uint64_t mask = full;
            if (w == w0) mask &= first;
            if (w == w1 - 1) mask &= last;
            fresh += vm_pop1(mask & ~bits[w]);
            bits[w] |= mask;
        }
        return fresh;
    }
    """
    const uint64_t VM_GOLDEN, VM_M1, VM_M2
    int64_t vmotion_popcount_words(const uint64_t *w, size_t n) nogil
    int64_t vmotion_mark_uniform(uint64_t *bits, uint64_t key, int64_t n, uint64_t lo,
                                 uint64_t hi, int32_t *heat, uint64_t cell_pages,
                                 int32_t tag) nogil
    int64_t vmotion_mark_bernoulli(uint64_t *bits, uint64_t key, uint64_t lo, uint64_t hi,
                                   uint64_t thr, int32_t *heat, uint64_t cell_pages,
                                   int32_t tag) nogil
    int64_t vmotion_mark_range(uint64_t *bits, uint64_t lo, uint64_t hi) nogil


_MAX64 = int("18446744073709551615")


cdef int32_t *_heat_ptr(int32_t[::1] hv):
    return NULL if hv is None or hv.shape[0] == 0 else &hv[0]


#: the splitmix64 constants the C loops use (GOLDEN, M1, M2), to compare with ``_rng.SPLITMIX``
SPLITMIX = (VM_GOLDEN, VM_M1, VM_M2)


def popcount(uint64_t[::1] bitmap):
    """Number of set bits (dirty pages) in the bitmap."""
    cdef int64_t total = 0
    if bitmap.shape[0] == 0:
        return 0
    with nogil:
        total = vmotion_popcount_words(&bitmap[0], bitmap.shape[0])
    return total


def mark_uniform(uint64_t[::1] bitmap, uint64_t key, int64_t n, uint64_t lo, uint64_t hi,
                 int32_t[::1] heat=None, uint64_t cell_pages=1, int32_t tag=0):
    """Mark ``n`` writes to pages drawn uniformly from ``[lo, hi)``; return new dirty pages."""
    if n <= 0 or hi <= lo:
        return 0
    cdef int32_t *hp = _heat_ptr(heat)
    cdef int64_t new
    with nogil:
        new = vmotion_mark_uniform(&bitmap[0], key, n, lo, hi, hp, cell_pages, tag)
    return new


def mark_bernoulli(uint64_t[::1] bitmap, uint64_t key, uint64_t lo, uint64_t hi, threshold,
                   int32_t[::1] heat=None, uint64_t cell_pages=1, int32_t tag=0):
    """Mark each page ``p`` in ``[lo, hi)`` whose ``mix64(key + (p - lo + 1) * GOLDEN)`` is below
    ``threshold``; return new dirty pages."""
    if hi <= lo or threshold <= 0:
        return 0
    cdef uint64_t thr = min(threshold, _MAX64)
    cdef int32_t *hp = _heat_ptr(heat)
    cdef int64_t new
    with nogil:
        new = vmotion_mark_bernoulli(&bitmap[0], key, lo, hi, thr, hp, cell_pages, tag)
    return new


def mark_range(uint64_t[::1] bitmap, uint64_t lo, uint64_t hi, int32_t[::1] heat=None,
               uint64_t cell_pages=1, int32_t tag=0):
    """Mark every page in ``[lo, hi)``; return how many were clean before."""
    if hi <= lo:
        return 0
    cdef int64_t new
    cdef uint64_t c
    with nogil:
        new = vmotion_mark_range(&bitmap[0], lo, hi)
        if heat is not None:
            for c in range(lo // cell_pages, (hi - 1) // cell_pages + 1):
                heat[c] = tag
    return new
