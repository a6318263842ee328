"""Grading framework: labs, operation logs and replay, checks, rendering, variants, hand-in
files, the sandboxed worker, identity and batch grading.

Modules: :mod:`.lab` (Lab), :mod:`.oplog` (operations, replay), :mod:`.checks` (CheckSet, fail,
Report), :mod:`.render`, :mod:`.variants`, :mod:`.state` (hand-in files), :mod:`.instructor`
(grade, all parameters), :mod:`.sandbox` (``grade_file``: one hand-in in an isolated process),
:mod:`.identity` (whose hand-in it is; rosters; safe ids), :mod:`.gradebook` (the CSV format),
:mod:`.batch` (``vmotion-grade``), :mod:`.studentize`.
"""

from .checks import CheckSet, Context, Report, fail
from .lab import Lab, lab_ids, lab_spec
from .state import StateError

__all__ = ["Lab", "lab_ids", "lab_spec", "CheckSet", "Context", "Report", "fail", "StateError"]
