"""Shared helpers of the pre-copy tests (imported by the test modules and conftest)."""

import os

from hypothesis import strategies as st

from vmotion_core.precopy import Workload, available_backends
# the precopy-models.md §9 setup (1 GiB, 125e6 B/s, sweep at λ·B, exact writes): one definition
from vmotion_core.validation import fluid_config  # noqa: F401  (re-exported for the tests)

PURE = os.environ.get("VMOTION_PURE_PYTHON", "") not in ("", "0")
BACKENDS = ["python"] if PURE else available_backends()


def workloads(max_rate_mibps, min_hot_fraction):
    """Hypothesis strategy: a uniform, hot-set or sweep workload, or two of them phased."""
    simple = st.builds(
        Workload, kind=st.sampled_from(["uniform", "hotset", "sweep"]),
        dirty_rate_mibps=st.floats(0, max_rate_mibps),
        hot_fraction=st.floats(min_hot_fraction, 1.0), hot_share=st.floats(0, 1))
    return st.one_of(simple, st.builds(
        lambda a, b, d: Workload("phased", phases=((d, a), (1.0, b))), simple, simple,
        st.floats(0.05, 3)))
