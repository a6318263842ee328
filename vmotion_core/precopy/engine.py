"""The pre-copy round loop: send, let the guest write, ask the policy, repeat, switch over.

Model (design.md §3, precopy-models.md §1):

- Memory is ``n_pages`` pages tracked in one dirty bitmap (1 bit per page; a 1 TiB VM needs
  32 MiB). Round 0 sends every page. Round ``i`` takes ``pages_sent x page size / bandwidth``
  plus one RTT; the guest's writes during round ``i`` dirty pages, and exactly those pages form
  the send set of round ``i + 1``. A page written while its round is in flight is simply sent
  again next round: there is no ``to_skip`` optimisation, which keeps the model equal to the
  fluid geometric series ``V_i = D x T_(i-1)`` (§5.1).
- The per-round write **count** is drawn here, in shared Python: Poisson with mean
  ``rate x time x (1 - throttle)`` from a NumPy generator seeded with (seed, round, segment), or
  exactly ``rate x time`` with a running fractional carry (``exact_writes``). Which **pages** the
  writes hit is the kernel's integer work (counter-based splitmix64), so the compiled kernel and
  the NumPy twin give bit-identical results.
- When a round has more writes than a region has pages, each page is instead dirtied
  independently with the probability ``1 - (1 - 1/H)^n`` (work O(pages), not O(writes)); when
  only the count matters (one workload in the round, no heat map) the count is drawn directly
  from that Binomial(H, P), or set to its mean with ``exact_writes``. This keeps a 24 TiB VM with
  a busy guest tractable and has the same expected dirty set as replaying the writes (V12).
- The switchover (stun) sends the last dirty pages plus the checkpoint over the link, adds one RTT
  and the resume constant; no writes happen while the VM is stunned.
"""

from __future__ import annotations

import math

import numpy as np

from ..errors import VMotionError
from ..units import MiB
from . import _backend
from ._rng import derive_key
from .config import PrecopyConfig
from .policies import make_policy
from .result import PrecopyResult, RoundRecord

__all__ = ["Migration", "simulate_precopy", "switchover_time_s", "switchover_threshold_bytes",
           "stop_threshold_bytes", "HARD_ROUND_CAP", "HEATMAP_CELLS"]

HARD_ROUND_CAP = 20_000  # safety net so that every configuration terminates
HEATMAP_CELLS = 65_536
_TWO64 = float(2**64)


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
    """What a policy may look at besides the round record (read-only view of the migration)."""

    hard_round_cap = HARD_ROUND_CAP

    def __init__(self, mig):
        self._m = mig

    page_bytes = property(lambda self: self._m.config.page_bytes)
    n_pages = property(lambda self: self._m.config.n_pages)
    bandwidth = property(lambda self: self._m.bandwidth_bps)
    sent_pages = property(lambda self: self._m._sent_pages)
    iter_s = property(lambda self: self._m.now - self._m.rounds[0].end_s)

    def switchover_s(self, pages):
        return self._m.switchover_s(pages)

    @property
    def threshold_bytes(self):
        """The dirty-set size the vmotion goal allows (:func:`switchover_threshold_bytes`)."""
        return switchover_threshold_bytes(self._m.config)


class Migration:
    """A pre-copy migration that can be advanced one round at a time.

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
    >>> m = Migration(PrecopyConfig(memory_gib=4, workload=Workload("uniform", 500)), seed=7)
    >>> first = m.step()
    >>> first.index, first.pages_sent, m.done
    (0, 1048576, False)
    >>> m.run().outcome
    'switched-over'
    """

    def __init__(self, config, seed=None, backend=None):
        if not isinstance(config, PrecopyConfig):
            raise VMotionError(f"config must be a PrecopyConfig, got {type(config).__name__}")
        self.config = config if seed is None else config.replace(seed=seed)
        self._kernel = _backend.KERNEL if backend is None else _backend.load_kernel(backend)
        cfg = self.config
        n = cfg.n_pages
        self._bitmap = np.zeros((n + 63) // 64, dtype=np.uint64)
        self._cell_pages = max(1, -(-n // HEATMAP_CELLS))
        self._heat = (np.full(-(-n // self._cell_pages), -1, dtype=np.int32)
                      if cfg.heatmap else None)
        self.bandwidth_bps = cfg.link.effective_bps
        self._policy = make_policy(cfg)
        self._phases = cfg.workload.phase_list()
        self._to_send = n
        self._now = 0.0
        self._rounds = []
        self._sent_pages = 0
        self._writes = 0
        self._carry = 0.0      # exact_writes: fractional write carried to the next draw
        self._hot_carry = 0.0  # exact_writes: fractional hot-set share carried
        self._sweep_pos = 0
        self._count_only = False
        self._result = None

    # -- public state ---------------------------------------------------------------------
    @property
    def now(self):
        """Simulated seconds since the migration started."""
        return self._now

    @property
    def rounds(self):
        return tuple(self._rounds)

    @property
    def done(self):
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
        return self._kernel.NAME

    @property
    def bitmap_bytes(self):
        """Bytes the dirty bitmap occupies (1 bit per page, rounded up to 64-bit words).

        Examples
        --------
        >>> from vmotion_core.precopy import PrecopyConfig
        >>> Migration(PrecopyConfig(memory_gib=1024)).bitmap_bytes // 2**20   # 1 TiB -> 32 MiB
        32
        """
        return self._bitmap.nbytes

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
        writes, dirtied = self._guest_writes(index, self._now, duration, throttle)
        rec = RoundRecord(index, self._now, duration, pages, pages * cfg.page_bytes, writes,
                          dirtied, throttle)
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

    # -- internals ------------------------------------------------------------------------
    def switchover_s(self, pages):
        """Switchover time for ``pages`` remaining pages (see :func:`switchover_time_s`)."""
        return switchover_time_s(self.config, pages)


    def _draw(self, mean, index, segment):
        if mean <= 0:
            return 0
        if self.config.exact_writes or mean > 1e12:
            # exact rate x time; beyond 1e12 the Poisson spread (1e-6 relative) is negligible
            total = self._carry + mean
            n = math.floor(total)
            self._carry = total - n
            return int(n)
        rng = np.random.default_rng([self.config.seed, index, segment, 0x5EED])
        return int(rng.poisson(mean))

    def _split_hot(self, n, share, index, segment):
        if self.config.exact_writes:
            total = self._hot_carry + n * share
            n_hot = min(n, math.floor(total))
            self._hot_carry = total - n_hot
            return int(n_hot)
        rng = np.random.default_rng([self.config.seed, index, segment, 0xB07])
        return int(rng.binomial(n, share))

    def _guest_writes(self, index, start, duration, throttle):
        """Apply the round's writes to a fresh bitmap; return (writes, distinct pages dirtied)."""
        self._bitmap.fill(0)
        writes = dirtied = 0
        end = start + duration
        spans = [(seg, max(start, p0), min(end, p1), wl)
                 for seg, (p0, p1, wl) in enumerate(self._phases) if min(end, p1) > max(start, p0)]
        # one workload, disjoint regions, no heat map: only the count of dirty pages matters
        self._count_only = self._heat is None and len(spans) == 1
        for segment, lo_t, hi_t, wl in spans:
            rate_pages = wl.dirty_rate_mibps * MiB / self.config.page_bytes
            n = self._draw(rate_pages * (hi_t - lo_t) * (1.0 - throttle), index, segment)
            writes += n
            dirtied += self._mark(wl, n, index, segment)
        return writes, dirtied

    def _mark(self, wl, n, index, segment):
        if n == 0:
            return 0
        total = self.config.n_pages
        if wl.kind == "sweep":
            return self._sweep(n, index)
        if wl.kind == "uniform":
            return self._random(0, total, n, index, segment, 0)
        hot = min(total, max(1, round(wl.hot_fraction * total)))
        n_hot = n if hot == total else self._split_hot(n, wl.hot_share, index, segment)
        return (self._random(0, hot, n_hot, index, segment, 1)
                + self._random(hot, total, n - n_hot, index, segment, 2))

    def _random(self, lo, hi, n, index, segment, region):
        """``n`` uniform writes into pages ``[lo, hi)``; return the new distinct dirty pages."""
        k, size = self._kernel, hi - lo
        if n <= 0 or size <= 0:
            return 0
        key = derive_key(self.config.seed, index, segment, region)
        if n <= size:
            return k.mark_uniform(self._bitmap, key, n, lo, hi, self._heat, self._cell_pages,
                                  index)
        # more writes than pages: each page is dirty with P = 1 - (1 - 1/H)^n, independently
        p = -math.expm1(n * math.log1p(-1.0 / size)) if size > 1 else 1.0
        threshold = int(p * _TWO64)
        if threshold >= 2**64:
            return k.mark_range(self._bitmap, lo, hi, self._heat, self._cell_pages, index)
        if self._count_only:  # the same Binomial(H, P) count, without touching H pages
            if self.config.exact_writes:
                return int(round(size * p))
            rng = np.random.default_rng([self.config.seed, index, segment, region, 0xC0])
            return int(rng.binomial(size, p))
        return k.mark_bernoulli(self._bitmap, key, lo, hi, threshold, self._heat,
                                self._cell_pages, index)

    def _sweep(self, n, tag):
        k, total, pos = self._kernel, self.config.n_pages, self._sweep_pos
        self._sweep_pos = (pos + n) % total
        if n >= total:
            return k.mark_range(self._bitmap, 0, total, self._heat, self._cell_pages, tag)
        if pos + n <= total:
            return k.mark_range(self._bitmap, pos, pos + n, self._heat, self._cell_pages, tag)
        return (k.mark_range(self._bitmap, pos, total, self._heat, self._cell_pages, tag)
                + k.mark_range(self._bitmap, 0, pos + n - total, self._heat, self._cell_pages, tag))

    def _finish(self, decision):
        cfg = self.config
        precopy_s = self._now
        remaining = self._to_send
        switch_s = self.switchover_s(remaining)
        if decision.kind == "switch":
            final_pages = remaining
            final_bytes = remaining * cfg.page_bytes + cfg.checkpoint_bytes
            downtime_s = switch_s + cfg.resume_ms / 1000.0
            outcome = "switched-over"
        else:
            final_pages = final_bytes = 0
            downtime_s = 0.0
            outcome = "failed"
        self._result = PrecopyResult(
            config=cfg, policy=cfg.policy.name, backend=self._kernel.NAME, outcome=outcome,
            converged=decision.converged, stop_reason=decision.reason, rounds=tuple(self._rounds),
            precopy_s=precopy_s, downtime_ms=downtime_s * 1000.0,
            total_time_s=precopy_s + downtime_s,
            bytes_sent=self._sent_pages * cfg.page_bytes + final_bytes,
            page_writes=self._writes, final_pages=final_pages, final_bytes=final_bytes,
            switchover_s=switch_s, effective_bps=self.bandwidth_bps,
            heatmap=None if self._heat is None else self._heat.copy(),
            heatmap_cell_pages=self._cell_pages)


def simulate_precopy(config, *, seed=None, backend=None):
    """Simulate a whole pre-copy migration and return its :class:`PrecopyResult`.

    Parameters
    ----------
    config, seed, backend
        As for :class:`Migration`.

    Examples
    --------
    >>> from vmotion_core.precopy import PrecopyConfig, Workload, Link
    >>> cfg = PrecopyConfig(memory_gib=16, workload=Workload("uniform", 500),
    ...                     link=Link(bandwidth_gbps=10))
    >>> res = simulate_precopy(cfg, seed=1)
    >>> res.outcome, res.downtime_ms < 500
    ('switched-over', True)
    """
    return Migration(config, seed=seed, backend=backend).run()
