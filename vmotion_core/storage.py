"""Deprecated alias of :mod:`vmotion_core.migration.disk_copy`, kept for one release so that
``from vmotion_core.storage import DATASTORE_MIBPS`` (course module 06) keeps working.
"""

from .migration.disk_copy import (DATASTORE_MIBPS, DEFAULT_DISK_WRITE_MIBPS,  # noqa: F401
                                  FSR_BASE_MS, FSR_GOAL_MS, FSR_STATE_GIBPS, DiskCopy,
                                  DiskCopyResult, disk_copy_for, fsr_stun_ms, simulate_disk_copy)
