"""Compatibility checks: every migration prerequisite of the fact sheet §2-§3 as a rule.

``check_migration(env, request)`` returns :class:`Finding` objects worded like vCenter's
compatibility panel (errors block, warnings do not); ``check_batch`` adds the §3 concurrency
limits for several migrations at once. ``RULES`` is the catalogue (one :class:`Rule` per id);
``vmotion_bandwidth`` is the vMotion network between two hosts as the pre-copy engine sees it.
Nothing outside this package knows a rule.
"""

from .engine import blocking, check_migration, check_plan, sort_findings
from .limits import BatchEntry, BatchPlan, check_batch
from .netpath import VMotionPath, vmotion_bandwidth
from .rules import FAMILIES, RULES, SEVERITIES, Finding, Rule

__all__ = ["check_migration", "check_plan", "check_batch", "BatchPlan", "BatchEntry", "Finding", "Rule",
           "RULES", "FAMILIES", "SEVERITIES", "blocking", "sort_findings",
           "vmotion_bandwidth", "VMotionPath"]
