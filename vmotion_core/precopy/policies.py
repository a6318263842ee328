"""Stop policies: after each pre-copy round, continue, switch over, or fail.

A policy sees the round just finished and the number of distinct pages the guest dirtied during it
(the next send set) and returns ``None`` (run another round) or a :class:`Decision`. It also owns
the guest throttle for the next round (``throttle``: SDPS or QEMU auto-converge).

- ``vmotion`` (vmotion-facts.md §4.2): switch over once the remaining pages plus the checkpoint fit
  the 500 ms switchover goal (KB 436882). Stun During Page Send slows the guest when dirtying keeps
  pace with sending [S62]. If pre-copy is forced to stop (no progress, round or time cap), a
  switchover longer than ``vmotion.maxSwitchoverSeconds`` (100 s, KB 2141355 [S42]) fails with
  vSphere's message and the VM keeps running on the source.
- ``qemu`` (precopy-models.md §7.2-7.3): switch over when pending RAM < measured bandwidth x
  downtime-limit (300 ms); optional auto-converge 50 / 20 / 10 / 99 %. QEMU has no round limit, so
  a run that never converges is cancelled at the time cap (the VM stays on the source).
- ``xen`` (precopy-models.md §3): stop after 29 iterations, when a round sent fewer than 50 pages,
  or when more than 3x RAM has been sent; then stop-and-copy whatever is dirty.

Simulator assumptions (VMware does not publish these rules, so they are ours and documented):
"no progress" means a round's dirty set is at least 95 % of the pages it sent; SDPS then cuts the
guest's run fraction to at most half (more when dirtying outpaces sending), up to 99 %, and stays
engaged until the switchover; without SDPS, three such rounds in a row force the switchover.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Decision", "make_policy", "switchover_failure_message", "SWITCHOVER_FAILURE_TEMPLATE",
           "STALL_RATIO", "STALL_ROUNDS", "MAX_THROTTLE"]

STALL_RATIO = 0.95   # dirty set >= 95 % of what was sent: no real progress this round
STALL_ROUNDS = 3     # rounds without progress before vmotion (without SDPS) forces a switchover
MAX_THROTTLE = 0.99  # same cap as QEMU's CPU_THROTTLE_PCT_MAX; SDPS never stops the guest fully


@dataclass(frozen=True)
class Decision:
    """How pre-copy ends: ``kind`` is "switch" or "fail"; ``reason`` is a sentence."""

    kind: str
    converged: bool
    reason: str


#: vSphere's wording for a switchover over ``maxSwitchoverSeconds`` [S42, T13]; the one copy
#: (the checks catalogue's rule LM4 uses it as its message template).
SWITCHOVER_FAILURE_TEMPLATE = (
    "The migration has exceeded the maximum switchover time of {limit_s} second(s). ESX has "
    "preemptively failed the migration to allow the VM to continue running on the source.")


def switchover_failure_message(max_switchover_s):
    """vSphere's wording when the switchover would exceed ``maxSwitchoverSeconds`` [S42, T13].

    >>> switchover_failure_message(100)[:59]
    'The migration has exceeded the maximum switchover time of 1'
    """
    return SWITCHOVER_FAILURE_TEMPLATE.format(limit_s=f"{max_switchover_s:g}")


class _Base:
    def __init__(self, cfg):
        self.cfg = cfg
        self.p = cfg.policy
        self.throttle = 0.0
        self._stalled = 0

    def _caps(self, rec, ctx):
        """Reason text if a round or time cap ends pre-copy now, else None."""
        if self.p.max_rounds is not None and rec.index + 1 >= self.p.max_rounds:
            return f"it reached the round cap of {self.p.max_rounds} rounds"
        if ctx.iter_s >= self.p.max_time_s:
            return f"it ran {self.p.max_time_s:g} s after the first full copy (time cap)"
        if rec.index + 1 >= ctx.hard_round_cap:
            return f"it reached the simulator's safety cap of {ctx.hard_round_cap} rounds"
        return None


class _VMotion(_Base):
    def after_round(self, rec, rem, ctx):
        p = self.p
        switch_s = ctx.switchover_s(rem)
        if rem * self.cfg.page_bytes <= ctx.threshold_bytes:  # switchover_threshold_bytes: one rule
            return Decision("switch", True, (
                f"After round {rec.index} the remaining {rem:,} dirty pages plus the checkpoint "
                f"fit the {p.goal_ms:g} ms switchover goal (KB 436882)."))
        if rem == 0:  # nothing left to pre-copy: only the checkpoint is over the goal
            forced = "only the checkpoint is left, and it alone exceeds the goal"
            return self._forced(forced, rem, switch_s)
        stalled = rec.pages_sent > 0 and rem >= STALL_RATIO * rec.pages_sent
        self._stalled = self._stalled + 1 if stalled else 0
        forced = self._caps(rec, ctx)
        if forced is None and stalled:
            if p.sdps and self.throttle < MAX_THROTTLE:
                ratio = rem / rec.pages_sent  # dirtying vs sending, per round
                run = (1.0 - self.throttle) * min(0.5, 0.5 / ratio)
                self.throttle = min(MAX_THROTTLE, 1.0 - run)
                self._stalled = 0
            elif self._stalled >= STALL_ROUNDS:
                sdps = " even with SDPS at its 99 % limit" if p.sdps else " (SDPS is off)"
                forced = (f"the dirty set stopped shrinking for {STALL_ROUNDS} rounds{sdps}")
        return None if forced is None else self._forced(forced, rem, switch_s)

    def _forced(self, forced, rem, switch_s):
        p = self.p
        if switch_s > p.max_switchover_s:
            return Decision("fail", False, (
                f"Pre-copy ended because {forced}; sending the remaining {rem:,} pages would take "
                f"{switch_s:.1f} s. " + switchover_failure_message(p.max_switchover_s)))
        return Decision("switch", False, (
            f"Pre-copy ended because {forced}; the VM was stunned for a {switch_s * 1000:.0f} ms "
            f"switchover, beyond the {p.goal_ms:g} ms goal but within the "
            f"{p.max_switchover_s:g} s maximum."))


class _Qemu(_Base):
    def __init__(self, cfg):
        super().__init__(cfg)
        self._period_s = self._period_dirty = self._period_sent = 0.0
        self._hits = 0

    def after_round(self, rec, rem, ctx):
        p = self.p
        measured = rec.bytes_sent > 0 and rec.duration_s > 0
        bw = rec.bytes_sent / rec.duration_s if measured else self.cfg.link.effective_bps
        threshold = bw * p.downtime_limit_ms / 1000.0
        pending = rem * self.cfg.page_bytes
        if pending < threshold or rem == 0:
            return Decision("switch", True, (
                f"After round {rec.index} the {pending:,} pending bytes fell below measured "
                f"bandwidth x downtime-limit ({threshold:,.0f} bytes for "
                f"{p.downtime_limit_ms:g} ms)."))
        if p.auto_converge:
            self._auto_converge(rec, pending)
        if p.max_rounds is not None and rec.index + 1 >= p.max_rounds:
            return Decision("switch", False, (
                f"Pre-copy reached the round cap of {p.max_rounds} rounds, so the VM was stopped "
                f"and the remaining {rem:,} pages copied (downtime above the limit)."))
        forced = self._caps(rec, ctx)
        if forced is not None:
            return Decision("fail", False, (
                f"Pre-copy did not converge: {forced}. QEMU has no round limit, so the migration "
                "is cancelled by a management timeout and the VM keeps running on the source."))
        return None

    def _auto_converge(self, rec, dirtied_bytes):
        """QEMU ``migration_trigger_throttle``: periods of >= 1 s, 50 % trigger, 2 hits a step."""
        self._period_s += rec.duration_s
        self._period_dirty += dirtied_bytes
        self._period_sent += rec.bytes_sent
        if self._period_s < 1.0:
            return
        if self._period_dirty > 0.5 * self._period_sent:
            self._hits += 1
            if self._hits >= 2:
                self._hits = 0
                step = 0.20 if self.throttle == 0 else self.throttle + 0.10
                self.throttle = round(min(MAX_THROTTLE, step), 6)
        self._period_s = self._period_dirty = self._period_sent = 0.0


class _Xen(_Base):
    def after_round(self, rec, rem, ctx):
        p = self.p
        done = rec.index + 1
        if rec.pages_sent < p.min_pages:
            reason, converged = f"round {rec.index} sent only {rec.pages_sent} pages " \
                                f"(fewer than {p.min_pages})", True
        elif done >= p.max_iters:
            reason, converged = f"it reached {p.max_iters} iterations", False
        elif ctx.sent_pages > p.max_factor * self.cfg.n_pages:
            reason, converged = f"more than {p.max_factor:g}x RAM has been sent", False
        else:
            reason, converged = self._caps(rec, ctx), False
            if reason is None:
                return None
        return Decision("switch", converged, (
            f"Pre-copy stopped because {reason}; the domain was suspended and the last "
            f"{rem:,} dirty pages sent in a final stop-and-copy iteration."))


_POLICIES = {"vmotion": _VMotion, "qemu": _Qemu, "xen": _Xen}


def make_policy(cfg):
    """Return the stateful stop policy for ``cfg.policy.name``."""
    return _POLICIES[cfg.policy.name](cfg)
