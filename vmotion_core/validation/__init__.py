"""Validation of the pre-copy model against closed forms, published results and other systems.

The cases V1-V13 of precopy-models.md §9 live in :data:`CASES` (inputs, expected values,
tolerance, source, confidence mark); :func:`run_cases` runs them on the simulator and judges each
:class:`Expectation`. The tests (tests/validation), ``vmotion validate`` and the fidelity
appendix of the course all read the same records.

>>> from vmotion_core.validation import run_cases
>>> run_cases(["V1"]).passed
True
"""

from .cases import CASE_IDS, CASES, ValidationCase, get_case
from .expectation import Expectation, Verdict
from .configs import fluid_config, simgrid_config
from .runner import CaseResult, ValidationReport, measure_point, run_case, run_cases

__all__ = ["CASES", "CASE_IDS", "ValidationCase", "get_case", "Expectation", "Verdict",
           "fluid_config", "simgrid_config", "CaseResult",
           "ValidationReport", "run_case", "run_cases", "measure_point"]
