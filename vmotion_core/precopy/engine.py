"""The pre-copy round loop: send, let the guest write, ask the policy, repeat, switch over.

Model (design.md §3, precopy-models.md §1):

- Memory is ``n_pages`` pages tracked in one dirty bitmap (1 bit per page; a 1 TiB VM needs
  32 MiB). Round 0 sends every page. Round ``i`` takes ``pages_sent x page size / bandwidth``
  plus one RTT; the guest's writes during round ``i`` dirty pages, and exactly those pages form
  the send set of round ``i + 1``. A page written while its round is in flight is simply sent
  again next round: there is no ``to_skip`` optimisation, which keeps the model equal to the
  fluid geometric series ``V_i = D x T_(i-1)`` (§5.1).
- Which pages the guest's writes dirty in a round (write counts, the page kernel, the bitmap or
  the per-region count for rounds too big for it, the heat map) is :class:`._dirty.DirtyTracker`'s
  job; this module only runs the rounds and the stop policy.
- The switchover (stun) sends the last dirty pages plus the checkpoint over the link, adds one RTT
  and the resume constant; no writes happen while the VM is stunned.
"""

from __future__ import annotations

from ..errors import VMotionError
from . import _backend
from ._dirty import HEATMAP_CELLS, DirtyTracker
from .config import PrecopyConfig
from .policies import make_policy
from .result import PrecopyResult, RoundRecord

__all__ = ["PrecopyRun", "simulate_precopy", "switchover_time_s",
           "switchover_threshold_bytes", "stop_threshold_bytes", "HARD_ROUND_CAP", "HEATMAP_CELLS"]

HARD_ROUND_CAP = 5_000  # safety net so that every configuration terminates, in seconds


def switchover_time_s(config, pages):
    """Seconds to send ``pages`` dirty pages plus the checkpoint while the VM is stunned.

    ``(pages x page size + checkpoint) / effective bandwidth + one RTT``; the stun time (downtime)
    adds ``config.resume_ms`` to it. This is the quantity the vmotion policy compares with the
    switchover goal and with ``maxSwitchoverSeconds``.

    Examples
    --------
    >>> from vmotion_core.precopy import PrecopyConfig, Link
    >>> cfg = PrecopyConfig(link=Link(bandwidth_gbps=1, efficiency=1.0), checkpoint_mib=0)
    >>> round(switchover_time_s(cfg, 30518), 6)   # 125 MB at 125 MB/s
    1.000014
    """
    return ((pages * config.page_bytes + config.checkpoint_bytes) / config.link.effective_bps
            + config.link.rtt_s)


def switchover_threshold_bytes(config, goal_ms=None):
    """Largest dirty set, in bytes, whose switchover fits the goal (the vmotion stop rule).

    The inverse of :func:`switchover_time_s`: ``(goal - RTT) x effective bandwidth - checkpoint``.
    The vmotion policy switches over once the remaining dirty pages x page size is at most this
    value, so figures and the closed form draw the same line the engine stops at. Negative when
    the checkpoint and the RTT alone exceed the goal (no dirty set fits).

    Parameters
    ----------
    config : PrecopyConfig
    goal_ms : float, optional
        Switchover goal; default ``config.policy.goal_ms`` (500 ms, KB 436882).

    Examples
    --------
    >>> from vmotion_core.precopy import PrecopyConfig, Link
    >>> cfg = PrecopyConfig(link=Link(bandwidth_gbps=1, efficiency=1.0, rtt_ms=0), checkpoint_mib=0)
    >>> switchover_threshold_bytes(cfg) / 1e6   # 500 ms at 125 MB/s
    62.5
    """
    goal_s = (config.policy.goal_ms if goal_ms is None else goal_ms) / 1000.0
    return (goal_s - config.link.rtt_s) * config.link.effective_bps - config.checkpoint_bytes


def stop_threshold_bytes(config):
    """Dirty-set size, in bytes, at which ``config.policy`` ends pre-copy, on the nominal link.

    vmotion: :func:`switchover_threshold_bytes`; qemu: effective bandwidth x downtime-limit (the
    engine's qemu policy uses the bandwidth measured over the last round, which equals the
    effective bandwidth when rounds carry no RTT); xen: ``min_pages`` pages. The closed form
    (:func:`~vmotion_core.precopy.analytic_precopy`) and the rounds chart both use this one value.

    Examples
    --------
    >>> from vmotion_core.precopy import PrecopyConfig, Link, Policy
    >>> link = Link(bandwidth_gbps=1, efficiency=1.0)
    >>> stop_threshold_bytes(PrecopyConfig(link=link, policy=Policy(name="qemu"))) / 1e6
    37.5
    >>> stop_threshold_bytes(PrecopyConfig(policy=Policy(name="xen")))   # 50 pages of 4 KiB
    204800
    """
    policy = config.policy
    if policy.name == "vmotion":
        return switchover_threshold_bytes(config)
    if policy.name == "qemu":
        return config.link.effective_bps * policy.downtime_limit_ms / 1000.0
    return policy.min_pages * config.page_bytes


class _Ctx:
    """What a policy may look at besides the round record and its config (a read-only view of
    the run)."""

    hard_round_cap = HARD_ROUND_CAP

    def __init__(self, mig):
        self._m = mig

    sent_pages = property(lambda self: self._m._sent_pages)
    iter_s = property(lambda self: self._m.now - self._m._rounds[0].end_s)

    def switchover_s(self, pages):
        return self._m.switchover_s(pages)

    @property
    def threshold_bytes(self):
        """The dirty-set size the vmotion goal allows (:func:`switchover_threshold_bytes`)."""
        return switchover_threshold_bytes(self._m.config)


class PrecopyRun:
    """The pre-copy of one VM's memory, advanced one round at a time (``step``) or to the end
    (``run``). :func:`simulate_precopy` is ``PrecopyRun(config).run()``; the whole vMotion (checks,
    disk copy, pre-copy, switchover) is :func:`vmotion_core.migrate`.

    Parameters
    ----------
    config : PrecopyConfig
    seed : int, optional
        Overrides ``config.seed``.
    backend : {"cython", "python"}, optional
        Kernel to use; default is the package-wide ``BACKEND``.

    Examples
    --------
    >>> from vmotion_core.precopy import PrecopyConfig, Workload
    >>> run = PrecopyRun(PrecopyConfig(memory_gib=4, workload=Workload("uniform", 500)), seed=7)
    >>> first = run.step()
    >>> first.index, first.pages_sent, run.done
    (0, 1048576, False)
    >>> run.run().outcome
    'switched-over'
    """

    def __init__(self, config, seed=None, backend=None):
        if not isinstance(config, PrecopyConfig):
            raise VMotionError(f"config must be a PrecopyConfig, got {type(config).__name__}")
        self.config = config if seed is None else config.replace(seed=seed)
        self._kernel = _backend.KERNEL if backend is None else _backend.load_kernel(backend)
        self._pages = DirtyTracker(self.config, self._kernel)
        self.bandwidth_bps = self.config.link.effective_bps
        self._policy = make_policy(self.config)
        self._to_send = self.config.n_pages
        self._now = 0.0
        self._rounds = []
        self._sent_pages = 0
        self._writes = 0
        self._result = None

    # -- public state ---------------------------------------------------------------------
    @property
    def now(self):
        """Simulated seconds since the migration started."""
        return self._now

    @property
    def rounds(self):
        """The RoundRecords of the rounds run so far."""
        return tuple(self._rounds)

    @property
    def done(self):
        """Whether the policy has ended pre-copy (then ``result`` is set)."""
        return self._result is not None

    @property
    def result(self):
        """The PrecopyResult once ``done``, else None."""
        return self._result

    @property
    def remaining_pages(self):
        """Pages the next round would send (the dirty set of the last round)."""
        return self._to_send

    @property
    def throttle(self):
        """Guest throttle the next round will run with."""
        return self._policy.throttle

    @property
    def backend(self):
        """Name of the page kernel in use ("cython" or "python")."""
        return self._kernel.NAME

    @property
    def bitmap_bytes(self):
        """Bytes of the page-level dirty bitmap (1 bit per page, rounded up to 64-bit words).

        It is allocated by the first round run page by page; a migration whose rounds are all
        counted per region (beyond ``PAGE_LEVEL_MAX_PAGES``) never allocates it.

        Examples
        --------
        >>> from vmotion_core.precopy import PrecopyConfig
        >>> PrecopyRun(PrecopyConfig(memory_gib=1024)).bitmap_bytes // 2**20   # 1 TiB -> 32 MiB
        32
        """
        return (self.config.n_pages + 63) // 64 * 8

    @property
    def bitmap_allocated(self):
        """Whether a page-level round has allocated the dirty bitmap."""
        return self._pages.bitmap is not None

    # -- the loop -------------------------------------------------------------------------
    def step(self):
        """Run one pre-copy round and return its RoundRecord (the policy may then finish)."""
        if self.done:
            raise VMotionError("the migration has already finished; read .result")
        cfg = self.config
        index = len(self._rounds)
        pages = self._to_send
        throttle = self._policy.throttle
        duration = pages * cfg.page_bytes / self.bandwidth_bps + cfg.link.rtt_s
        writes, dirtied = self._pages.round(index, self._now, duration, throttle)
        rec = RoundRecord(index, self._now, duration, pages, pages * cfg.page_bytes, writes,
                          dirtied, throttle, self._pages.detail)
        self._rounds.append(rec)
        self._now += duration
        self._sent_pages += pages
        self._writes += writes
        self._to_send = dirtied
        decision = self._policy.after_round(rec, dirtied, _Ctx(self))
        if decision is not None:
            self._finish(decision)
        return rec

    def run(self):
        """Run rounds until the policy ends pre-copy; return the PrecopyResult."""
        while not self.done:
            self.step()
        return self._result

    def switchover_s(self, pages):
        """Switchover time for ``pages`` remaining pages (see :func:`switchover_time_s`)."""
        return switchover_time_s(self.config, pages)

    def _finish(self, decision):
        cfg, precopy_s = self.config, self._now
        switch_s = switchover_time_s(cfg, self._to_send)
        # a failed switchover sends nothing more and never stuns the VM
        switched = decision.kind == "switch"
        final_pages = self._to_send if switched else 0
        final_bytes = final_pages * cfg.page_bytes + cfg.checkpoint_bytes if switched else 0
        downtime_s = switch_s + cfg.resume_ms / 1000.0 if switched else 0.0
        self._result = PrecopyResult(
            config=cfg, policy=cfg.policy.name, backend=self._kernel.NAME,
            outcome="switched-over" if switched else "failed",
            converged=decision.converged, stop_reason=decision.reason, rounds=tuple(self._rounds),
            precopy_s=precopy_s, downtime_ms=downtime_s * 1000.0,
            total_time_s=precopy_s + downtime_s,
            bytes_sent=self._sent_pages * cfg.page_bytes + final_bytes,
            page_writes=self._writes, final_pages=final_pages, final_bytes=final_bytes,
            switchover_s=switch_s, effective_bps=self.bandwidth_bps,
            heatmap=self._pages.heatmap(), heatmap_cell_pages=self._pages.cell_pages)


def simulate_precopy(config, *, seed=None, backend=None):
    """Simulate a whole pre-copy migration and return its :class:`PrecopyResult`.

    Parameters
    ----------
    config, seed, backend
        As for :class:`PrecopyRun`.

    Examples
    --------
    >>> from vmotion_core.precopy import PrecopyConfig, Workload, Link
    >>> cfg = PrecopyConfig(memory_gib=16, workload=Workload("uniform", 500),
    ...                     link=Link(bandwidth_gbps=10))
    >>> res = simulate_precopy(cfg, seed=1)
    >>> res.outcome, res.downtime_ms < 500
    ('switched-over', True)
    """
    return PrecopyRun(config, seed=seed, backend=backend).run()
