"""Running a migration, above :mod:`vmotion_core.compat` and :mod:`vmotion_core.precopy`.

``migrate = classify -> check -> execute`` (:mod:`.run`) returns a :class:`MigrationResult`
(:mod:`.result`) whose ``status`` every consumer reads; the :mod:`.timeline` and
:mod:`.eventlog` only write; :mod:`.disk_copy` models storage moves; :mod:`.evacuation` composes
the same public steps for many VMs at once.

The planning names (``MigrationRequest``, ``classify``...) live in :mod:`vmotion_core.plan` and
are re-exported here.
"""

from ..plan import (CROSS_VCENTER_PATHS, MIGRATION_TYPES, MigrationPlan, MigrationRequest,
                    classify)
from .disk_copy import (DATASTORE_MIBPS, DiskCopy, DiskCopyResult, disk_copy_for, fsr_stun_ms,
                        simulate_disk_copy)
from .evacuation import (EvacuationMove, EvacuationPlan, plan_evacuation, schedule_evacuation,
                         simulate_evacuation)
from .result import STATUSES, LateFailure, MigrationResult
from .run import (N5A_NOTE, StartDecision, decide, execute, migrate, moved_environment,
                  precopy_config_for, switchover_failure, vmotion_path)
from .timeline import Phase

__all__ = ["MigrationRequest", "MigrationPlan", "MigrationResult", "LateFailure", "Phase",
           "classify", "migrate", "execute", "decide", "StartDecision", "precopy_config_for",
           "vmotion_path", "switchover_failure", "moved_environment",
           "STATUSES", "MIGRATION_TYPES", "CROSS_VCENTER_PATHS", "N5A_NOTE",
           # disk copy of storage moves
           "simulate_disk_copy", "disk_copy_for", "fsr_stun_ms", "DiskCopy", "DiskCopyResult",
           "DATASTORE_MIBPS",
           # host evacuation (maintenance mode)
           "plan_evacuation", "schedule_evacuation", "simulate_evacuation", "EvacuationPlan",
           "EvacuationMove"]
