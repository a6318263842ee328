"""Grading framework: labs, checks, rendering, variants, lab-state files, batch grading.

Modules: :mod:`.lab` (Lab), :mod:`.checks` (CheckSet, fail, Report), :mod:`.render`,
:mod:`.variants`, :mod:`.state`, :mod:`.batch` (``vmotion-grade``), :mod:`.studentize`.
"""

from .checks import CheckSet, Context, Report, fail
from .lab import Lab, lab_ids, lab_spec
from .state import StateError

__all__ = ["Lab", "lab_ids", "lab_spec", "CheckSet", "Context", "Report", "fail", "StateError"]
