"""Deprecated alias of :mod:`vmotion_core.migration.evacuation`, kept for one release so that
``from vmotion_core.evacuation import plan_evacuation`` (course module 08, lab06) keeps working.
"""

from .migration.evacuation import (EvacuationMove, EvacuationPlan,  # noqa: F401
                                   plan_evacuation, schedule_evacuation, simulate_evacuation)
