"""Run the core pre-copy tests on every kernel that is available.

Normally that is the compiled kernel and the NumPy twin. With ``VMOTION_PURE_PYTHON=1`` (the last
pass of scripts/test.sh) only the twin runs; with ``VMOTION_REQUIRE_COMPILED=1`` a missing
compiled kernel is an error, not a skip.
"""

import pytest
from precopy_helpers import BACKENDS

from vmotion_core.precopy import Link, PrecopyConfig, Workload


@pytest.fixture(params=BACKENDS)
def backend(request):
    """Name of a kernel backend ("cython" or "python")."""
    return request.param


@pytest.fixture
def small_config():
    """A quick, busy configuration (256 MiB hot/cold workload over 1 Gbit/s)."""
    return PrecopyConfig(memory_gib=0.25, workload=Workload("hotset", 40, hot_fraction=0.1,
                                                            hot_share=0.9),
                         link=Link(bandwidth_gbps=1), seed=3)
