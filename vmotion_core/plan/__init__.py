"""Planning a migration, below :mod:`vmotion_core.compat`: what is asked and what it means.

``MigrationRequest`` (:mod:`.request`) is the user's wish; :func:`classify` (:mod:`.classify`)
resolves it against an environment into a :class:`MigrationPlan` (type, hosts, file moves, NIC
mapping, the DRS pick of :mod:`.placement`). The compatibility checks read a plan and never build
one; the migration package runs it. This package imports only the inventory, ``errors`` and
``units``.
"""

from .classify import (ACVM_CHOICE, CROSS_VCENTER_PATHS, MIGRATION_TYPES, WIZARD_CHOICES,
                       MigrationPlan, classify, cross_vcenter_path)
from .placement import drs_pick, free_memory_gib
from .request import PRIORITIES, TARGET_KINDS, MigrationRequest

__all__ = ["MigrationRequest", "MigrationPlan", "classify", "cross_vcenter_path", "drs_pick",
           "free_memory_gib", "MIGRATION_TYPES", "CROSS_VCENTER_PATHS", "ACVM_CHOICE",
           "WIZARD_CHOICES", "PRIORITIES", "TARGET_KINDS"]
