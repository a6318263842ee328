"""Read a vMotion's stun time from its logs, the way KB 436882 does.

KB 436882 ("How to identify vMotion stun time for a vMotion") correlates three real log lines:

1. the **migration ID**, from the VM's ``vmware.log`` (in the VM's folder on the datastore):
   ``Migrate_Open: Restoring from <ip> with migration id <id>``;
2. in the source host's ``vmkernel.log``, the lines carrying that ID: ``Stopping pre-copy: only N
   pages left to send, which can be sent within the switchover time goal of 0.500 seconds ...``
   (the stun starts here) and ``Sent all modified pages to destination ...``;
3. the stun itself, in ``vmware.log``: ``Checkpoint_Unstun: vm stopped for N us`` (microseconds;
   the same line is written for snapshot stuns, KB 432796).

The functions below take those files' text (real ones, or the simulator's lines from
:attr:`vmotion_core.migration.MigrationResult.log_lines`, whose ``HOST FILE:`` prefix they skip)
and return what a support engineer would read off them. They do not need the simulator.

>>> vmware = ("2026-04-14T15:38:20.244Z| vmx| I120: Migrate_Open: Restoring from <10.0.0.2> "
...           "with migration id 1446046703473901\\n"
...           "2026-04-14T15:38:20.260Z| vcpu-0| I120: Checkpoint_Unstun: vm stopped for 99800 us")
>>> vmk = ("2026-04-14T15:38:20.160Z cpu0:151370)VMotion: 4650: 1446046703473901 S: Stopping "
...        "pre-copy: only 1296 pages left to send, which can be sent within the switchover time "
...        "goal of 0.500 seconds (network bandwidth ~145.404 MB/s, 101088% t2d)")
>>> migration_ids(vmware)
['1446046703473901']
>>> r = read_stun(vmware, vmk)
>>> r.stun_ms, r.pages_left, round(r.window_ms)
(99.8, 1296, 100)
"""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass

__all__ = ["migration_ids", "read_stun", "StunReading", "check_stun_answer", "log_files"]

_STAMP = re.compile(r"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?)Z")
_MID = re.compile(r"migration id (\d+)")
_STOP = re.compile(r"\b(\d+) S: Stopping pre-copy: only (\d+) pages left")
_SENT = re.compile(r"\b(\d+) S: Sent all modified pages")
_UNSTUN = re.compile(r"Checkpoint_Unstun: vm stopped for (\d+) us")

#: Feedback of :func:`check_stun_answer` (one place, for translation).
MESSAGES = {
    "none": "No answer yet: set my_migration_id and my_stun_ms, then run this cell again.",
    "id": "That migration ID does not appear in this VM's vmware.log. Look for the line "
          "'Migrate_Open: Restoring from <ip> with migration id <id>'.",
    "ok": "Right: migration {mid} stunned the VM for {stun:.1f} ms ({us} us in the "
          "Checkpoint_Unstun line), {window:.0f} ms after vmkernel.log said 'Stopping pre-copy'.",
    "units": "Close, but check the unit: the Checkpoint_Unstun line counts microseconds (us); "
             "the answer is asked in milliseconds.",
    "wrong": "Not this one. Take the Checkpoint_Unstun line of this VM's vmware.log that follows the "
             "'Stopping pre-copy' line of migration {mid} in the source's vmkernel.log.",
}


def _time(line):
    m = _STAMP.search(line)
    return None if m is None else _dt.datetime.fromisoformat(m.group(1))


_PREFIX = re.compile(r"^(\S+) (vmware\.log|vmkernel\.log|hostd\.log|vpxd\.log): ")


def log_files(log_lines):
    """Sort the simulator's ``HOST FILE: line`` output into the files a support engineer reads:
    ``{"vmware.log": ..., "esx-01 vmkernel.log": ..., "vc01 vpxd.log": ...}`` (prefix removed).

    The VM has one ``vmware.log``, in its folder on the datastore; the simulator's lines name the
    host whose VMX process wrote them, so both hosts' vmware.log lines land in one file here.
    ``simulator note`` lines are dropped: no product writes them.
    """
    files = {}
    for line in log_lines:
        m = _PREFIX.match(line)
        if m is None:
            continue
        name = "vmware.log" if m.group(2) == "vmware.log" else f"{m.group(1)} {m.group(2)}"
        files.setdefault(name, []).append(line[m.end():])
    return {k: "\n".join(v) for k, v in files.items()}


def migration_ids(vmware_log):
    """Migration IDs in a ``vmware.log`` text, in order, without repeats (step 1 of KB 436882)."""
    found = (_MID.search(line) for line in vmware_log.splitlines())
    return list(dict.fromkeys(m.group(1) for m in found if m))


@dataclass(frozen=True)
class StunReading:
    """What the logs say about one migration's switchover.

    ``stun_ms`` comes from the ``Checkpoint_Unstun`` line; ``window_ms`` is the time from the
    ``Stopping pre-copy`` line (source vmkernel.log) to that line, a cross-check from timestamps
    (None when a line has no timestamp).
    """

    migration_id: str
    pages_left: int
    stop_line: str
    sent_line: str | None
    unstun_line: str
    unstun_us: int
    window_ms: float | None

    @property
    def stun_ms(self):
        return self.unstun_us / 1000.0


def _line_of(pattern, log, mid):
    """The first line of ``log`` where ``pattern`` matches with migration id ``mid``, or None."""
    return next((ln for ln in log.splitlines()
                 if (m := pattern.search(ln)) and m.group(1) == mid), None)


def read_stun(vmware_log, vmkernel_log, migration_id=None):
    """Read the stun of ``migration_id`` (default: the last one in ``vmware_log``).

    Raises ValueError naming the missing line when the logs do not contain it.
    """
    mid = migration_id or (migration_ids(vmware_log) or [None])[-1]
    if mid is None:
        raise ValueError("vmware_log: no 'migration id' line (Migrate_Open) in this log")
    mid = str(mid)
    stop = _line_of(_STOP, vmkernel_log, mid)
    if stop is None:
        raise ValueError(f"vmkernel_log: no 'Stopping pre-copy' line for migration id {mid}")
    sent = _line_of(_SENT, vmkernel_log, mid)
    t_stop = _time(stop)
    unstun = next((ln for ln in vmware_log.splitlines() if _UNSTUN.search(ln) and (
        t_stop is None or (t := _time(ln)) is None or t >= t_stop)), None)
    if unstun is None:
        raise ValueError(f"vmware_log: no 'Checkpoint_Unstun' line after migration {mid} stopped "
                         "pre-copy")
    t_un = _time(unstun)
    window = None if t_stop is None or t_un is None else (t_un - t_stop).total_seconds() * 1000
    return StunReading(mid, int(_STOP.search(stop).group(2)), stop, sent, unstun,
                       int(_UNSTUN.search(unstun).group(1)), window)


def check_stun_answer(vmware_log, vmkernel_log, my_migration_id, my_stun_ms):
    """Feedback on a learner's reading: ``(ok, message)``. Nothing the learner hands in is
    trusted: the answer is compared with what :func:`read_stun` reads off the same logs."""
    if my_migration_id is None or my_stun_ms is None:
        return False, MESSAGES["none"]
    mid = str(my_migration_id).strip()
    if mid not in migration_ids(vmware_log):
        return False, MESSAGES["id"]
    r = read_stun(vmware_log, vmkernel_log, mid)
    try:
        answer = float(my_stun_ms)
    except (TypeError, ValueError):
        return False, MESSAGES["wrong"].format(mid=r.migration_id)
    if abs(answer - r.stun_ms) <= 0.5:
        return True, MESSAGES["ok"].format(mid=r.migration_id, stun=r.stun_ms, us=r.unstun_us,
                                           window=r.window_ms or 0.0)
    if abs(answer - r.unstun_us) <= 0.5 or abs(answer - r.stun_ms / 1000) < 5e-4:
        return False, MESSAGES["units"]
    return False, MESSAGES["wrong"].format(mid=r.migration_id)
