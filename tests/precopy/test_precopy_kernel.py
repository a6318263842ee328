"""Page kernels: bitmap semantics, and the compiled kernel equals the NumPy twin bit for bit."""

import os
import subprocess
import sys

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vmotion_core.errors import VMotionError
from vmotion_core.precopy import _backend, _kernel_py
from vmotion_core.precopy._rng import GOLDEN, mix64

from precopy_helpers import BACKENDS

HAS_CYTHON = "cython" in _backend.available_backends()


def _kernel(name):
    return _backend.load_kernel(name)


def _bits(bitmap):
    return {i for i in range(len(bitmap) * 64) if int(bitmap[i >> 6]) >> (i & 63) & 1}


def test_mark_range_sets_exactly_the_range(backend):
    k = _kernel(backend)
    bm = np.zeros(4, dtype=np.uint64)
    heat = np.full(8, -1, dtype=np.int32)
    assert k.mark_range(bm, 60, 130, heat, 32, 7) == 70
    assert _bits(bm) == set(range(60, 130))
    assert heat.tolist() == [-1, 7, 7, 7, 7, -1, -1, -1]  # pages 60..129 lie in cells 1..4
    assert k.mark_range(bm, 0, 256) == 256 - 70
    assert k.popcount(bm) == 256


def test_heat_marks_cells_of_written_pages(backend):
    k = _kernel(backend)
    bm = np.zeros(1, dtype=np.uint64)
    heat = np.full(4, -1, dtype=np.int32)
    k.mark_range(bm, 0, 16, heat, 16, 2)
    assert heat.tolist() == [2, -1, -1, -1]


def test_uniform_pages_follow_the_counter_formula(backend):
    """Write j hits lo + mulhi64(mix64(key + (j+1)·GOLDEN), span): check against pure Python."""
    k = _kernel(backend)
    key, n, lo, hi = 987654321, 500, 100, 100 + 3_000
    bm = np.zeros((hi + 63) // 64, dtype=np.uint64)
    new = k.mark_uniform(bm, key, n, lo, hi)
    expect = {lo + ((mix64(key + (j + 1) * GOLDEN) * (hi - lo)) >> 64) for j in range(n)}
    assert _bits(bm) == expect
    assert new == len(expect)


def test_bernoulli_threshold_extremes(backend):
    k = _kernel(backend)
    bm = np.zeros(2, dtype=np.uint64)
    assert k.mark_bernoulli(bm, 5, 10, 100, 0) == 0
    assert k.mark_bernoulli(bm, 5, 10, 100, 2**64 - 1) == 90
    assert _bits(bm) == set(range(10, 100))


@pytest.mark.skipif(not HAS_CYTHON, reason="compiled kernel not built")
@settings(max_examples=60, deadline=None)
@given(n_pages=st.integers(1, 5000), data=st.data())
def test_compiled_equals_twin(n_pages, data):
    c, p = _kernel("cython"), _kernel_py
    words = (n_pages + 63) // 64
    cell = data.draw(st.integers(1, 70))
    a, b = np.zeros(words, np.uint64), np.zeros(words, np.uint64)
    ha, hb = (np.full(-(-n_pages // cell), -1, np.int32) for _ in range(2))
    for tag in range(3):
        lo = data.draw(st.integers(0, n_pages - 1))
        hi = data.draw(st.integers(lo + 1, n_pages))
        key = data.draw(st.integers(0, 2**64 - 1))
        n = data.draw(st.integers(0, 3 * n_pages))
        thr = data.draw(st.integers(0, 2**64 - 1))
        assert c.mark_uniform(a, key, n, lo, hi, ha, cell, tag) == \
            p.mark_uniform(b, key, n, lo, hi, hb, cell, tag)
        assert c.mark_bernoulli(a, key ^ 1, lo, hi, thr, ha, cell, tag) == \
            p.mark_bernoulli(b, key ^ 1, lo, hi, thr, hb, cell, tag)
        assert c.mark_range(a, lo, hi, ha, cell, tag) == p.mark_range(b, lo, hi, hb, cell, tag)
        assert np.array_equal(a, b) and np.array_equal(ha, hb)
        assert c.popcount(a) == p.popcount(b)
        a[:] = 0
        b[:] = 0


@pytest.mark.skipif(not HAS_CYTHON, reason="compiled kernel not built")
def test_compiled_equals_twin_beyond_32_bit_spans():
    """mulhi64 must be exact for more than 2**32 pages (a 24 TiB VM has 6.4e9)."""
    n_pages = 6_442_450_944
    a = np.zeros((n_pages + 63) // 64, np.uint64)
    assert _kernel("cython").mark_uniform(a, 77, 20_000, 0, n_pages) == 20_000
    idx_a = np.flatnonzero(a)
    vals_a = a[idx_a].copy()
    a[idx_a] = 0
    _kernel_py.mark_uniform(a, 77, 20_000, 0, n_pages)
    assert np.array_equal(np.flatnonzero(a), idx_a) and np.array_equal(a[idx_a], vals_a)


def test_backend_is_the_one_asked_for_and_named_kernels_load(expected_backend):
    assert _backend.BACKEND == _backend.KERNEL.NAME == expected_backend
    assert _backend.load_kernel("python").NAME == "python"
    if HAS_CYTHON:
        assert _backend.load_kernel("cython").NAME == "cython"
    # the compiled pass compares both kernels; the twin pass runs the twin only
    assert BACKENDS == (["cython", "python"] if expected_backend == "cython" else ["python"])


def _run(env_extra, code):
    env = dict(os.environ, **env_extra)
    return subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                          timeout=60)


def test_pure_python_env_forces_the_twin():
    out = _run({"VMOTION_PURE_PYTHON": "1"}, "import vmotion_core.precopy as p; print(p.BACKEND)")
    assert out.stdout.strip() == "python"


@pytest.mark.skipif(not HAS_CYTHON, reason="compiled kernel not built")
def test_require_compiled_env_picks_the_compiled_kernel():
    out = _run({"VMOTION_PURE_PYTHON": "", "VMOTION_REQUIRE_COMPILED": "1"},
               "import vmotion_core.precopy as p; print(p.BACKEND)")
    assert out.stdout.strip() == "cython"


def test_require_compiled_turns_a_missing_kernel_into_a_clear_error(monkeypatch):
    import vmotion_core.precopy as pkg

    monkeypatch.setitem(sys.modules, "vmotion_core.precopy._kernel", None)  # import fails
    monkeypatch.delattr(pkg, "_kernel", raising=False)
    monkeypatch.setenv("VMOTION_REQUIRE_COMPILED", "1")
    monkeypatch.delenv("VMOTION_PURE_PYTHON", raising=False)
    with pytest.raises(VMotionError, match="setup.sh all"):
        _backend.load_kernel()
    monkeypatch.delenv("VMOTION_REQUIRE_COMPILED")
    assert _backend.load_kernel().NAME == "python"  # silent fallback without the flag
