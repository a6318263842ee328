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
  from that Binomial(H, P), or set to its mean with ``exact_writes``. This has the same expected
  dirty set as replaying the writes (V12).
- Rounds too big for the bitmap (memory beyond ``PAGE_LEVEL_MAX_PAGES``, 4 TiB of 4 KiB pages, or
  once the migration's page-level work passes ``PAGE_LEVEL_BUDGET_NS``) are counted per memory
  region instead (``_regions.py``): each region's distinct dirty pages are drawn from the
  occupancy distribution of its writes, and the heat map is stamped from those counts. That is
  the same model in distribution (tests/precopy/test_precopy_regions.py), in bounded time and
  memory: the documented 24 TiB maximum answers in well under a second without its 768 MiB
  bitmap. ``RoundRecord.detail`` says which way each round was computed.
- The switchover (stun) sends the last dirty pages plus the checkpoint over the link, adds one RTT
  and the resume constant; no writes happen while the VM is stunned.
"""

from __future__ import annotations

import math

import numpy as np

from ..errors import VMotionError
from ..units import MiB
from . import _backend, _regions
from ._rng import derive_key
from .config import PrecopyConfig
from .policies import make_policy
from .result import PrecopyResult, RoundRecord

__all__ = ["Migration", "simulate_precopy", "switchover_time_s", "switchover_threshold_bytes",
           "stop_threshold_bytes", "HARD_ROUND_CAP", "HEATMAP_CELLS"]

HARD_ROUND_CAP = 5_000  # safety net so that every configuration terminates, in seconds
HEATMAP_CELLS = 65_536
# Rounds run page by page on the bitmap while the bitmap stays small enough (a 4 TiB VM's is
# 128 MiB) and the page work of the whole migration stays within a budget (estimated compiled
# kernel time); beyond, rounds are counted per region (_regions.py): the same model in
# distribution, in bounded time and memory, so every configuration answers in seconds.
PAGE_LEVEL_MAX_PAGES = 2**30
PAGE_LEVEL_BUDGET_NS = 0.3e9
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
    iter_s = property(lambda self: self._m.now - self._m._rounds[0].end_s)

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
        self._bitmap = None  # allocated by the first page-level round
        self._detail = "pages"
        self._page_ns = 0.0  # estimated page-level work so far (see PAGE_LEVEL_BUDGET_NS)
        self._region_heat = []  # (round, dirty segments) of rounds counted per region
        # a power of two, so the kernels find a page's cell with a shift
        self._cell_pages = 1 << max(0, (-(-n // HEATMAP_CELLS) - 1).bit_length())
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
        """Bytes of the page-level dirty bitmap (1 bit per page, rounded up to 64-bit words).

        It is allocated by the first round run page by page; a migration whose rounds are all
        counted per region (beyond ``PAGE_LEVEL_MAX_PAGES``) never allocates it.

        Examples
        --------
        >>> from vmotion_core.precopy import PrecopyConfig
        >>> Migration(PrecopyConfig(memory_gib=1024)).bitmap_bytes // 2**20   # 1 TiB -> 32 MiB
        32
        """
        return (self.config.n_pages + 63) // 64 * 8

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
                          dirtied, throttle, self._detail)
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
        """Apply the round's writes; return (writes, distinct pages dirtied)."""
        end = start + duration
        spans = [(seg, max(start, p0), min(end, p1), wl)
                 for seg, (p0, p1, wl) in enumerate(self._phases) if min(end, p1) > max(start, p0)]
        # one workload, disjoint regions, no heat map: only the count of dirty pages matters
        self._count_only = self._heat is None and len(spans) == 1
        ops, writes = [], 0
        for segment, lo_t, hi_t, wl in spans:
            rate_pages = wl.dirty_rate_mibps * MiB / self.config.page_bytes
            n = self._draw(rate_pages * (hi_t - lo_t) * (1.0 - throttle), index, segment)
            writes += n
            ops += self._plan(wl, n, index, segment)
        if self._page_level(ops):
            self._detail = "pages"
            return writes, self._mark_pages(ops, index)
        self._detail = "regions"
        return writes, self._count_regions(ops, index)

    def _plan(self, wl, n, index, segment):
        """The round's writes of one workload as ("random", lo, hi, n, segment, region) and
        ("sweep", n) operations."""
        if n == 0:
            return []
        total = self.config.n_pages
        if wl.kind == "sweep":
            return [("sweep", n)]
        if wl.kind == "uniform":
            return [("random", 0, total, n, segment, 0)]
        hot = min(total, max(1, round(wl.hot_fraction * total)))
        n_hot = n if hot == total else self._split_hot(n, wl.hot_share, index, segment)
        return [("random", 0, hot, n_hot, segment, 1),
                ("random", hot, total, n - n_hot, segment, 2)]

    def _page_level(self, ops):
        """Whether this round runs on the page-level bitmap (else it is counted per region)."""
        total = self.config.n_pages
        if total > PAGE_LEVEL_MAX_PAGES:
            return False
        # rough compiled-kernel costs: a word cleared or counted ~0.5 ns; a write ~2 ns while the
        # bitmap fits the caches (<= 16 MiB), ~12 ns beyond, +1 ns with a heat map; a page of
        # mark_bernoulli ~2 ns
        per_write = (2.0 if total <= 2**27 else 12.0) + (self._heat is not None)
        ns = total / 64 * 1.5  # clear the bitmap, count
        for op in ops:
            if op[0] == "sweep":
                ns += min(op[1], total) / 64
                continue
            _, lo, hi, n, _, _ = op
            if n <= hi - lo:
                ns += n * per_write
            elif not self._count_only:
                ns += (hi - lo) * 2.0
        if self._page_ns + ns > PAGE_LEVEL_BUDGET_NS:
            return False
        self._page_ns += ns
        return True

    def _mark_pages(self, ops, index):
        if self._bitmap is None:
            self._bitmap = np.zeros((self.config.n_pages + 63) // 64, dtype=np.uint64)
        else:
            self._bitmap.fill(0)
        dirtied = 0
        for op in ops:
            if op[0] == "sweep":
                dirtied += self._sweep(op[1], index)
            else:
                dirtied += self._random(*op[1:], index=index)
        return dirtied

    def _count_regions(self, ops, index):
        """The round's distinct dirty pages counted per region (module ``_regions``)."""
        total = self.config.n_pages
        batches = [op[1:4] for op in ops if op[0] == "random"]
        covered = []
        for op in ops:
            if op[0] == "sweep":
                covered += self._sweep_ranges(op[1])
        rng = np.random.default_rng([self.config.seed, index, 0x5E6])
        dirtied, segments = _regions.count_round(rng, total, batches, covered)
        if self._heat is not None and segments:
            self._region_heat.append((index, segments))  # stamped once, at the end
        return dirtied

    def _random(self, lo, hi, n, segment, region, index):
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

    def _sweep_ranges(self, n):
        """Page ranges the next ``n`` sequential writes cover (wrapping at the end of memory);
        advances the sweep position."""
        total, pos = self.config.n_pages, self._sweep_pos
        self._sweep_pos = (pos + n) % total
        if n >= total:
            return [(0, total)]
        if pos + n <= total:
            return [(pos, pos + n)]
        return [(pos, total), (0, pos + n - total)]

    def _sweep(self, n, tag):
        k = self._kernel
        return sum(k.mark_range(self._bitmap, lo, hi, self._heat, self._cell_pages, tag)
                   for lo, hi in self._sweep_ranges(n))

    def _finish(self, decision):
        cfg = self.config
        if self._region_heat:
            _regions.stamp_heat(self._heat, self._cell_pages, self._region_heat, cfg.seed)
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
