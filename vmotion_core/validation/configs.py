"""Simulator configurations that reproduce the setups of the validation cases.

- :func:`fluid_config` - the setup of precopy-models.md §9.0 (Appendix A): a constant rate of
  *distinct* dirtied pages (the ``sweep`` workload with exact write counts), ``B`` = 1 Gbit/s =
  125e6 B/s, no checkpoint, no resume time. The page-level engine then equals the fluid model up
  to page rounding (V1-V3, V11).
- :func:`simgrid_config` - SimGrid's busy-VM live-migration model (§8.2-8.3; V4, V9, V10) through
  options the engine already has: the ``qemu`` policy with ``downtime-limit`` = SimGrid's
  ``max_downtime`` (30 ms) is SimGrid's stop rule (remaining < measured round bandwidth x 30 ms, no
  round limit), and a sweep at ``intensity x speed`` is SimGrid's fluid dirtying of a VM that
  computes all the time.

SimGrid also caps the bytes dirtied per round at the working-set memory, 0.9 x RAM. That cap can
only bind in stage 1 (round 0): a later round lasts ``T = dirtied / speed <= 0.9 RAM / speed``, so
it dirties ``intensity x speed x T < 0.9 RAM`` whenever ``intensity < 1``. Round 0 lasts
``RAM / speed`` and dirties ``intensity x RAM``, which exceeds the cap when ``intensity > 0.9``;
the configuration then writes at ``0.9 x speed`` during the first ``RAM / speed`` seconds (a phased
workload), which is exactly ``min(intensity x RAM, 0.9 x RAM)``. At ``intensity >= 1`` the same
construction dirties 0.9 x RAM in every round, as SimGrid does, and never converges.
"""

from __future__ import annotations

from ..precopy import Link, Policy, PrecopyConfig, Workload
from ..units import GiB, MiB

__all__ = ["fluid_config", "simgrid_config", "FLUID_BPS", "FLUID_MEMORY_BYTES", "PAGE_BYTES",
           "SIMGRID_WSM", "SIMGRID_MAX_DOWNTIME_MS"]

FLUID_BPS = 125e6            # 1 Gbit/s, the bandwidth of all §9 tables
FLUID_MEMORY_BYTES = GiB     # M = 1 GiB
PAGE_BYTES = 4096
SIMGRID_WSM = 0.9            # sg_vm_create_migratable: working-set memory = 0.9 x RAM (§8.1)
SIMGRID_MAX_DOWNTIME_MS = 30.0  # SimGrid's max_downtime, the old QEMU default (§8.1)


def fluid_config(lam, policy, memory_gib=1.0, bandwidth_bps=FLUID_BPS, **kw):
    """The §9.0 setup at dirty ratio ``lam`` = D/B under ``policy``.

    Examples
    --------
    >>> from vmotion_core.precopy import Policy, simulate_precopy
    >>> simulate_precopy(fluid_config(0.5, Policy(name="qemu"))).n_rounds   # V3: 5 rounds
    5
    """
    return PrecopyConfig(memory_gib=memory_gib,
                         workload=Workload("sweep", lam * bandwidth_bps / MiB),
                         link=Link(bandwidth_gbps=bandwidth_bps * 8 / 1e9, efficiency=1.0),
                         checkpoint_mib=0, resume_ms=0, exact_writes=True, policy=policy, **kw)


def simgrid_config(ram_bytes, speed_bps, intensity, max_time_s=3600.0, concurrent=1):
    """A SimGrid-compatible configuration (``sg_vm_create_migratable``, busy VM).

    Parameters
    ----------
    ram_bytes : float
        VM RAM (rounded up to whole 4 KiB pages).
    speed_bps : float
        Migration speed = link rate, bytes/s (uncontended link, no latency).
    intensity : float
        Dirty-page intensity: dirtied bytes per second as a fraction of ``speed_bps``.
    max_time_s : float
        Safety cap for runs that never converge (SimGrid's own is 1e7 s).
    concurrent : int
        Migrations sharing the link equally.

    Examples
    --------
    >>> from vmotion_core.precopy import simulate_precopy
    >>> r = simulate_precopy(simgrid_config(2048 * MiB, 128 * MiB, 0.5))   # V10
    >>> round(r.total_time_s, 6), round(r.downtime_ms, 3)
    (31.984375, 15.625)
    """
    rate_mibps = intensity * speed_bps / MiB
    workload = Workload("sweep", rate_mibps)
    if intensity > SIMGRID_WSM:  # the 0.9 x RAM cap binds in stage 1 only (module docstring)
        stage1_s = ram_bytes / speed_bps
        workload = Workload("phased", phases=(
            (stage1_s, Workload("sweep", SIMGRID_WSM * speed_bps / MiB)), (1.0, workload)))
    return PrecopyConfig(
        memory_gib=ram_bytes / GiB, workload=workload,
        link=Link(bandwidth_gbps=speed_bps * 8 / 1e9, efficiency=1.0, concurrent=concurrent),
        policy=Policy(name="qemu", downtime_limit_ms=SIMGRID_MAX_DOWNTIME_MS,
                      max_time_s=max_time_s),
        checkpoint_mib=0, resume_ms=0, exact_writes=True)
