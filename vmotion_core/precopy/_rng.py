"""Counter-based random numbers shared by both kernels (plain Python integers, no state).

splitmix64 (Steele, Lea, Flood 2014) turns a 64-bit counter into a well-mixed 64-bit value. The
kernels draw write ``j`` of a call from ``mix64(key + (j + 1) * GOLDEN)``, i.e. the ``j``-th output
of a splitmix64 stream started at ``key``. Because the value depends only on (key, j), the
compiled loop and the vectorised NumPy twin compute the very same numbers, in any order.
"""

__all__ = ["GOLDEN", "M1", "M2", "SPLITMIX", "MASK64", "mix64", "derive_key"]

MASK64 = (1 << 64) - 1
# The one home of the splitmix64 constants: the NumPy twin imports them; the compiled kernel
# repeats them as C constants and exports them as its SPLITMIX, which a test compares with this.
GOLDEN = 0x9E3779B97F4A7C15
M1 = 0xBF58476D1CE4E5B9
M2 = 0x94D049BB133111EB
SPLITMIX = (GOLDEN, M1, M2)


def mix64(x):
    """The splitmix64 finaliser on a Python int (result in ``[0, 2**64)``)."""
    z = x & MASK64
    z = ((z ^ (z >> 30)) * M1) & MASK64
    z = ((z ^ (z >> 27)) * M2) & MASK64
    return z ^ (z >> 31)


def derive_key(seed, *counters):
    """Key for one kernel call from the run seed and counters such as (round, segment, region).

    >>> derive_key(0, 1, 2) == derive_key(0, 1, 2) != derive_key(0, 2, 1)
    True
    """
    key = mix64(seed + GOLDEN)
    for c in counters:
        key = mix64((key ^ mix64(int(c) + 0x632BE59BD9B4E019)) + GOLDEN)
    return key
