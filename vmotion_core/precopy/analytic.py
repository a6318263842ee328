"""Closed-form and fluid reference models of pre-copy, for teaching and for validation.

Everything here is *fluid*: a constant rate ``D`` of distinct dirtied bytes, a constant bandwidth
``B``, no page rounding, no RTT. The page-level engine fed a sweep workload with exact write counts
reproduces these numbers to page rounding (tests/precopy/test_precopy_validation.py).

- :func:`geometric` - the geometric series ``V_i = M λ^i`` (precopy-models.md §5.1, Appendix A.1).
- :func:`xen_like` - Xen's legacy rules: 29 iterations / < 50 pages / > 3x RAM (A.2, V2).
- :func:`qemu_like` - QEMU's threshold ``B x downtime-limit`` without auto-converge (A.3, V3).
- :func:`simgrid_like` - SimGrid's busy-VM model with the 0.9 x RAM per-round cap (A.4, V4, V10).
- :func:`analytic_precopy` - the geometric model on the inputs of a :class:`PrecopyConfig`, with
  the same conventions as the simulator (checkpoint, resume, policy threshold).

Each returns an :class:`AnalyticResult`; what ``rounds`` counts follows Appendix A and is stated
per function.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

from ..errors import ConfigError
from ..units import MiB
from .engine import stop_threshold_bytes

__all__ = ["AnalyticResult", "geometric", "xen_like", "qemu_like", "simgrid_like",
           "analytic_precopy"]


@dataclass(frozen=True)
class AnalyticResult:
    """Totals of a fluid model run (bytes, seconds).

    ``rounds`` is the model's own count (see each function); ``precopy_rounds`` is always the
    number of live rounds before the stop-and-copy, the simulator's ``n_rounds``.
    """

    model: str
    rounds: float
    precopy_rounds: float
    total_bytes: float
    total_time_s: float
    downtime_s: float
    converged: bool
    rule: str = ""

    def to_dict(self):
        return {k: (None if isinstance(v, float) and math.isinf(v) else v)
                for k, v in asdict(self).items()}


def geometric(memory_bytes, bandwidth_bps, dirty_bps, threshold_bytes, max_rounds=None):
    """Appendix A.1: stop at the first ``n`` with ``V_n = M λ^n <= V_th``; ``rounds`` = ``n``.

    Round 0 is the full copy; rounds ``0 .. n-1`` are live; ``V_n`` goes in the stop-and-copy.

    Examples
    --------
    >>> r = geometric(2**30, 125e6, 0.5 * 125e6, 50 * 4096)   # V1, λ = 0.5
    >>> r.rounds, round(r.total_bytes), round(r.total_time_s, 3), round(r.downtime_s * 1e3, 2)
    (13, 2147352576, 17.179, 1.05)
    """
    M, B = float(memory_bytes), float(bandwidth_bps)
    lam = dirty_bps / B
    if lam == 0:
        return AnalyticResult("geometric", 0, 1, M, M / B, 0.0, True, "no dirtying")
    if lam >= 1:
        if max_rounds is None:
            return AnalyticResult("geometric", math.inf, math.inf, math.inf, math.inf, math.inf,
                                  False, "λ >= 1 never reaches the threshold")
        n, converged = int(max_rounds), False
    else:
        n = max(0, math.ceil(math.log(threshold_bytes / M) / math.log(lam)))
        converged = True
        if max_rounds is not None and n > max_rounds:
            n, converged = int(max_rounds), False
    total = M * (n + 1) if lam == 1 else M * (1 - lam ** (n + 1)) / (1 - lam)
    return AnalyticResult("geometric", n, max(n, 1), total, total / B, M * lam ** n / B, converged,
                          "V_n <= V_th" if converged else "round cap")


def xen_like(memory_bytes, bandwidth_bps, dirty_bps, page_bytes=4096, max_iters=29,
             max_factor=3, min_pages=50):
    """Appendix A.2 (Xen legacy): ``rounds`` = iterations including the final one.

    >>> r = xen_like(2**30, 125e6, 0.7 * 125e6)   # V2, λ = 0.7
    >>> r.rounds, r.rule, round(r.downtime_s * 1e3)
    (8, '>3xRAM', 707)
    """
    M, B, D = float(memory_bytes), float(bandwidth_bps), float(dirty_bps)
    s = total = M
    T = t = M / B
    it = 1
    while True:
        if s / page_bytes < min_pages:
            rule = f"<{min_pages} pages"
            break
        if it >= max_iters:
            rule = f"{max_iters} iterations"
            break
        if total > max_factor * M:
            rule = f">{max_factor:g}xRAM"
            break
        s = min(M, D * T)
        T = s / B
        t += T
        total += s
        it += 1
    last = min(M, D * T)
    return AnalyticResult("xen-like", it + 1, it, total + last, t + last / B, last / B,
                          rule.startswith("<"), rule)


def qemu_like(memory_bytes, bandwidth_bps, dirty_bps, downtime_limit_s=0.3, max_time_s=3600.0):
    """Appendix A.3 (QEMU, no auto-converge): ``rounds`` = live rounds before stop-and-copy.

    >>> r = qemu_like(2**30, 125e6, 0.9 * 125e6)   # V3, λ = 0.9
    >>> r.rounds, round(r.total_time_s, 2), round(r.downtime_s * 1e3)
    (32, 83.24, 295)
    """
    M, B, D = float(memory_bytes), float(bandwidth_bps), float(dirty_bps)
    thr = B * downtime_limit_s
    rem, t, sent, rounds = M, 0.0, 0.0, 0
    while rem >= thr and t < max_time_s:
        T = rem / B
        t += T
        sent += rem
        rounds += 1
        rem = min(M, D * T)
    converged = rem < thr
    return AnalyticResult("qemu-like", rounds, rounds, sent + rem, t + rem / B, rem / B, converged,
                          "pending < B x downtime-limit" if converged else "time cap")


def simgrid_like(ram_bytes, speed_bps, intensity, wsm=0.9, max_downtime_s=0.03):
    """Appendix A.4 (SimGrid busy VM): ``rounds`` = stage-2 rounds.

    >>> r = simgrid_like(2048 * 2**20, 128 * 2**20, 0.5)   # V10
    >>> round(r.total_time_s, 6), round(r.downtime_s * 1e3, 3)
    (31.984375, 15.625)
    """
    ram, speed = float(ram_bytes), float(speed_bps)
    if intensity >= 1:
        return AnalyticResult("simgrid-like", math.inf, math.inf, math.inf, math.inf, math.inf,
                              False, "intensity >= 100 % never converges")
    cap, rate = wsm * ram, intensity * speed
    t, sent, thr = ram / speed, ram, speed * max_downtime_s
    upd = min(rate * t, cap)
    rem, rounds = upd, 0
    while thr < rem:
        T = upd / speed
        t += T
        sent += upd
        rounds += 1
        rem -= upd
        upd = min(rate * T, cap)
        rem += upd
    return AnalyticResult("simgrid-like", rounds, rounds + 1, sent + rem, t + rem / speed,
                          rem / speed, True, "remaining <= speed x max_downtime")


def analytic_precopy(config):
    """Geometric model (§5.1) on the inputs of a PrecopyConfig, in the simulator's conventions.

    The threshold follows the policy: vmotion ``B x goal - checkpoint``; qemu ``B x
    downtime-limit``; xen ``min_pages`` pages. ``downtime_s`` here includes the checkpoint and
    resume time (and one RTT), ``total_time_s`` too, ``total_bytes`` includes the checkpoint. It
    assumes every write dirties a new page (a sweep), ignores RTT per round and SDPS/throttling,
    and has no phases.

    Examples
    --------
    >>> from vmotion_core.precopy import PrecopyConfig, Workload, Link
    >>> cfg = PrecopyConfig(memory_gib=16, workload=Workload("sweep", 500), link=Link(10))
    >>> r = analytic_precopy(cfg)
    >>> r.converged, r.precopy_rounds
    (True, 5)
    """
    if config.workload.kind == "phased":
        raise ConfigError("workload.kind", "the closed form needs one constant dirty rate, "
                                           "not a phased workload")
    p, link = config.policy, config.link
    B = link.effective_bps
    M = float(config.memory_bytes)
    D = config.workload.dirty_rate_mibps * MiB
    thr = max(stop_threshold_bytes(config), 1e-9)
    geo = geometric(M, B, D, thr, max_rounds=p.max_rounds)
    if geo.rounds == 0 and D > 0:
        # A.1 stops before any live round when V_th >= M (all of memory in the stun); the
        # simulator, like vMotion, always sends round 0 live, so V_1 = M λ goes in the stun
        lam = D / B
        geo = AnalyticResult("geometric", 1, 1, M * (1 + lam), M * (1 + lam) / B, M * lam / B,
                             True, "V_1 <= V_th (round 0 is always live)")
    fixed = config.checkpoint_bytes / B + link.rtt_s + config.resume_ms / 1000.0
    return AnalyticResult("geometric", geo.rounds, geo.precopy_rounds,
                          geo.total_bytes + config.checkpoint_bytes, geo.total_time_s + fixed,
                          geo.downtime_s + fixed, geo.converged, geo.rule)
