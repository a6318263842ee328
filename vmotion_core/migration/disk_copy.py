"""Disk copy for storage moves: the mirror-driver model of Storage vMotion (vSphere 5.0+).

Since vSphere 5.0 Storage vMotion copies each disk in a *single pass* while a mirror driver
writes every new guest write synchronously to the source and, if the block is already copied,
to the destination too (fact sheet §4.2 item 9, a secondary source [S68]); vSphere 4.1 iterated
over changed blocks instead. So the copy never has to re-send a block, but the mirrored writes
share the path with the copy. Config files, logs and NVRAM go first, then the disks.

The model, in ``steps`` slices of the copy: in a slice the copier moves
``rate - mirrored`` bytes, where ``mirrored = write_rate x copied_fraction`` (writes land
uniformly over the disk, so only those behind the copy cursor need mirroring). A powered-off or
suspended VM has no guest writes (NFC copy). Then the switchover: for a local Storage vMotion,
Fast Suspend and Resume (FSR) moves device state and memory *metadata* to a ghost VM on the same
host [S61], with the same goal as vMotion's switchover: below 1 second (:data:`FSR_GOAL_MS`).

Teaching assumptions (VMware publishes no such figures): datastore throughputs per type in
:data:`DATASTORE_MIBPS`, a guest disk write rate of :data:`DEFAULT_DISK_WRITE_MIBPS`, and FSR's
stun as :data:`FSR_BASE_MS` plus state at :data:`FSR_STATE_GIBPS`.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from ..inventory.environment import label_disk
from ..units import GiB, MiB

__all__ = ["DiskCopy", "DiskCopyResult", "simulate_disk_copy", "fsr_stun_ms", "disk_copy_for",
           "DATASTORE_MIBPS", "DEFAULT_DISK_WRITE_MIBPS", "FSR_BASE_MS", "FSR_STATE_GIBPS",
           "FSR_GOAL_MS"]

DATASTORE_MIBPS = {"vmfs": 800.0, "vsan": 600.0, "nfs": 400.0, "local": 300.0}
DEFAULT_DISK_WRITE_MIBPS = 20.0
FSR_BASE_MS = 50.0
FSR_STATE_GIBPS = 4.0
FSR_GOAL_MS = 1000.0  # VMware's goal: suspend -> resume below 1 s (fact sheet §4.2 [S61])
_CONFIG_MIB = 64.0  # vmx, nvram, logs (simulator allowance)


@dataclass(frozen=True)
class DiskCopy:
    """One file group to copy: ``what`` ("config" or "disk 'Hard disk 1'"), size and ends."""

    what: str
    size_gib: float
    source: str
    target: str


@dataclass(frozen=True)
class DiskCopyResult:
    """What the disk copy did. Times in seconds from the start of the copy phase."""

    items: tuple                 # ((what, start_s, duration_s, bytes), ...)
    bytes_copied: int
    mirrored_bytes: int
    duration_s: float
    rate_bps: float              # path rate (bytes/s) before mirroring
    write_rate_bps: float
    mirror: bool                 # True: live (mirror driver); False: cold NFC copy
    path: str

    def to_dict(self):
        items = [dict(zip(("what", "start_s", "duration_s", "bytes"), it)) for it in self.items]
        return {**asdict(self), "items": items}


def simulate_disk_copy(copies, rate_bps, write_rate_bps=0.0, steps=200, path=""):
    """Copy ``copies`` (DiskCopy) at ``rate_bps`` while the guest writes ``write_rate_bps``.

    Parameters
    ----------
    copies : sequence of DiskCopy
    rate_bps : float
        Bytes per second the copy path sustains (slowest of source, target and network).
    write_rate_bps : float
        Guest disk writes (0 for a powered-off VM). Must stay below ``rate_bps``.
    steps : int
        Slices per item (accuracy of the mirror integral).

    Examples
    --------
    >>> r = simulate_disk_copy([DiskCopy("disk 'Hard disk 1'", 10, "a", "b")], rate_bps=100 * MiB)
    >>> round(r.duration_s, 1)
    102.4
    """
    if rate_bps <= 0:
        raise ValueError(f"rate_bps: must be above 0, got {rate_bps}")
    write_rate_bps = min(max(write_rate_bps, 0.0), 0.9 * rate_bps)
    t, items, mirrored_total, total = 0.0, [], 0.0, 0
    for c in copies:
        size = c.size_gib * GiB
        start, copied = t, 0.0
        chunk = size / steps
        for _ in range(steps if size > 0 else 0):
            mirrored = write_rate_bps * (copied / size)  # writes behind the cursor go both ways
            dt = chunk / (rate_bps - mirrored)
            mirrored_total += mirrored * dt
            copied += chunk
            t += dt
        items.append((c.what, start, t - start, int(size)))
        total += int(size)
    return DiskCopyResult(tuple(items), total, int(mirrored_total), t, float(rate_bps),
                          float(write_rate_bps), write_rate_bps > 0, path)


def fsr_stun_ms(memory_gib, checkpoint_mib=8.0):
    """Stun of Fast Suspend and Resume: device state plus memory metadata (one 8-byte entry per
    4 KiB page) handed to a ghost VM on the same host.

    >>> fsr_stun_ms(16) < 1000
    True
    """
    metadata = memory_gib * GiB / 4096 * 8
    return FSR_BASE_MS + (checkpoint_mib * MiB + metadata) / (FSR_STATE_GIBPS * GiB) * 1000


def disk_copy_for(env, plan, network_bps=None, write_mibps=DEFAULT_DISK_WRITE_MIBPS):
    """The disk copy a classified migration ``plan`` needs, or None when no file moves.

    The path rate is the slowest of every involved datastore's throughput and, across hosts,
    ``network_bps`` (the vMotion network for a live move; the provisioning network for cold).
    """
    if not plan.file_moves:
        return None
    v = env.vm(plan.vm)
    copies = []
    for what, src, dst in plan.file_moves:
        if what == "config":
            size = _CONFIG_MIB / 1024
            if plan.power_state == "suspended":  # the suspend file holds the memory image
                size += v.memory_gib
        else:
            size = v.disk(label_disk(what)).size_gib
        copies.append(DiskCopy(what, size, src, dst))
    copies.sort(key=lambda c: c.what != "config")  # config files first
    dss = {c.source for c in copies} | {c.target for c in copies}
    rates = [(DATASTORE_MIBPS[env.datastore(d).type] * MiB, f"datastore {d}") for d in sorted(dss)]
    if plan.changes_host and network_bps:
        rates.append((network_bps, "network"))
    rate, limiter = min(rates, key=lambda t: t[0])
    write = write_mibps * MiB if plan.live else 0.0
    how = "mirror driver" if plan.live else "NFC copy"
    return simulate_disk_copy(copies, rate, write, path=f"{how}, limited by {limiter}")
