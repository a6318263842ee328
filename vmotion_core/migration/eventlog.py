"""Event lines in the style of ESXi's vmkernel.log / vmware.log and vCenter's vpxd.log.

Lines the reference notes quote are reproduced with simulated numbers: ``Migrate_Open: Restoring
from <ip> with migration id <id>`` (vmware.log), the vmkernel.log pre-copy stop line "Stopping
pre-copy: only N pages left ... within the switchover time goal of 0.500 seconds ...", "Sent all
modified pages to destination" and ``Checkpoint_Unstun: vm stopped for N us`` (KB 436882,
KB 432796), ``Migrate: VM successfully stunned.`` (KB 435078 [S42c]) and "Beginning checkpoint
restore" / "Switching to checkpoint state" (KB 320352 [S42d]). The other lines (the "Preparing to
migrate" line, per-round iterations, RARP, vpxd task lines) are the simulator's own wording in the
same layout, not quoted product output, except the run-time error texts of late failures, which
come from the rule catalogue with their KB (e.g. "Failed waiting for data. Error 16", KB 1003734).
``note`` lines are the simulator talking, not a product log. Every line starts with
``HOST LOG:`` so a learner can tell where it would be found (real files have no such prefix;
:func:`vmotion_core.logread.log_files` strips it), and all lines of one migration share its
migration ID (KB 436882 matches the logs by that ID).

>>> log = EventLog(migration_id=1446046703473901)
>>> log.vmkernel(0.5, "esx-01", "VMotion: 4650", "S: hello")
>>> log.lines()[0]
'esx-01 vmkernel.log: 2024-06-03T09:00:00.500Z cpu3:2171054)VMotion: 4650: 1446046703473901 S: hello'
"""

from __future__ import annotations

import datetime as _dt
import hashlib

__all__ = ["EventLog", "migration_id", "BASE_TIME"]

#: Wall-clock time of t = 0 in every simulated log (fixed, so logs are reproducible).
BASE_TIME = _dt.datetime(2024, 6, 3, 9, 0, 0, tzinfo=_dt.timezone.utc)


def migration_id(*parts):
    """A 16-digit migration ID derived from ``parts`` (VM, hosts, seed): stable across runs."""
    h = hashlib.sha256("/".join(map(str, parts)).encode()).digest()
    return 10**15 + int.from_bytes(h[:8], "big") % (9 * 10**15)


def _stamp(t_s):
    ts = BASE_TIME + _dt.timedelta(seconds=max(t_s, 0.0))
    return ts.strftime("%Y-%m-%dT%H:%M:%S.") + f"{ts.microsecond // 1000:03d}Z"


class EventLog:
    """Collects (t_s, order, line) events and returns them sorted by time."""

    def __init__(self, migration_id):
        self.mid = migration_id
        self._events = []
        self._world = 2097153 + migration_id % 100000

    def _add(self, t_s, text):
        self._events.append((float(t_s), len(self._events), text))

    def vmkernel(self, t_s, host, module, text, cpu=3):
        """``HOST vmkernel.log: <ts> cpuN:WORLD)<module>: <mid> <text>``."""
        self._add(t_s, f"{host} vmkernel.log: {_stamp(t_s)} cpu{cpu}:{self._world})"
                       f"{module}: {self.mid} {text}")

    def vmware(self, t_s, host, text, thread="vmx"):
        """``HOST vmware.log: <ts>| vmx| I125: <text>``."""
        self._add(t_s, f"{host} vmware.log: {_stamp(t_s)}| {thread}| I125: {text}")

    def vpxd(self, t_s, vcenter, text):
        """``VCENTER vpxd.log: <ts> info vpxd <text>``."""
        self._add(t_s, f"{vcenter} vpxd.log: {_stamp(t_s)} info vpxd[{self.mid % 10000:04d}] {text}")

    def note(self, t_s, text):
        """``simulator note: <ts> <text>``: something no vSphere log would say."""
        self._add(t_s, f"simulator note: {_stamp(t_s)} {text}")

    def lines(self):
        return tuple(text for _, _, text in sorted(self._events))
