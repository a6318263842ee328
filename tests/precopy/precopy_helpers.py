"""Shared helpers of the pre-copy tests (imported by the test modules and conftest)."""

import os

from vmotion_core.precopy import Link, PrecopyConfig, Workload, available_backends

PURE = os.environ.get("VMOTION_PURE_PYTHON", "") not in ("", "0")
BACKENDS = ["python"] if PURE else available_backends()


def fluid_config(lam, policy, memory_gib=1, **kw):
    """The precopy-models.md §9 setup: 1 GiB, B = 1 Gbit/s = 125e6 B/s, sweep of distinct pages at
    D = λ·B, exact write counts, no checkpoint, no resume time."""
    return PrecopyConfig(memory_gib=memory_gib, workload=Workload("sweep", lam * 125e6 / 2**20),
                         link=Link(bandwidth_gbps=1, efficiency=1.0), checkpoint_mib=0,
                         resume_ms=0, exact_writes=True, policy=policy, **kw)
