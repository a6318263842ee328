"""Compiled kernel and NumPy twin give bit-identical simulations for random configurations."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from precopy_helpers import workloads

from vmotion_core.precopy import (Link, Policy, PrecopyConfig, Workload, available_backends,
                                  simulate_precopy)

pytestmark = pytest.mark.skipif("cython" not in available_backends(),
                                reason="compiled kernel not built")

_workload = workloads(400, 0.01)

_config = st.builds(
    PrecopyConfig,
    memory_gib=st.floats(1 / 1024, 0.125),
    page_size_kib=st.just(4),
    workload=_workload,
    link=st.builds(Link, bandwidth_gbps=st.floats(0.2, 25), streams=st.sampled_from([None, 1, 2]),
                   rtt_ms=st.floats(0, 20)),
    policy=st.builds(Policy, name=st.sampled_from(["vmotion", "qemu", "xen"]),
                     sdps=st.booleans(), auto_converge=st.booleans(),
                     max_time_s=st.just(120.0)),
    checkpoint_mib=st.floats(0, 16),
    exact_writes=st.booleans(),
    heatmap=st.booleans(),
    seed=st.integers(0, 2**32))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cfg=_config)
def test_compiled_and_twin_are_bit_identical(cfg):
    a = simulate_precopy(cfg, backend="cython")
    b = simulate_precopy(cfg, backend="python")
    da, db = a.to_dict(), b.to_dict()
    assert da.pop("backend") == "cython" and db.pop("backend") == "python"
    assert da == db
