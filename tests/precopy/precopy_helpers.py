"""Shared helpers of the pre-copy tests (imported by the test modules and conftest)."""

import os

from vmotion_core.precopy import available_backends
# the precopy-models.md §9 setup (1 GiB, 125e6 B/s, sweep at λ·B, exact writes): one definition
from vmotion_core.validation import fluid_config  # noqa: F401  (re-exported for the tests)

PURE = os.environ.get("VMOTION_PURE_PYTHON", "") not in ("", "0")
BACKENDS = ["python"] if PURE else available_backends()
