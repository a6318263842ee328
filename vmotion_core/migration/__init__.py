"""Running a migration, above :mod:`vmotion_core.compat` and :mod:`vmotion_core.precopy`.

``migrate = classify -> check -> execute`` (:mod:`.run`): the plan comes from
:mod:`vmotion_core.plan`, the findings from :mod:`vmotion_core.compat`, the memory pre-copy from
:mod:`vmotion_core.precopy`. The run writes its phases on a :mod:`.timeline` and its log lines in
an :mod:`.eventlog` (both only write), copies disks with :mod:`.disk_copy`, and returns a
:class:`MigrationResult` (:mod:`.result`) whose ``status`` (``ok``, ``blocked``, ``not-run``,
``failed-late``) every consumer reads. :mod:`.evacuation` composes the same public steps for
many VMs at once.

For convenience the planning names are re-exported here (``from vmotion_core.migration import
MigrationRequest, classify, migrate`` keeps working); they live in :mod:`vmotion_core.plan`.
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
