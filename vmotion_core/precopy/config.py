"""Inputs of the pre-copy model: workload, link, stop policy and the VM itself.

Every class is a frozen dataclass that validates itself on construction and raises
:class:`~vmotion_core.errors.ConfigError` naming the field and the allowed range, so a learner (or
the CLI) sees ``link.bandwidth_gbps: must be between 0.01 and 800 Gbit/s, got 0`` instead of a
traceback deep inside the engine. Each field's range is declared once, next to the field
(:func:`vmotion_core.fields.spec`); the checks and the CLI's help read it from there.

Where a default is a vSphere fact, the docstring cites its source (``vmotion-facts.md``); where it
is a teaching assumption of this simulator, it says so.
"""

from __future__ import annotations

import math
from itertools import accumulate
from dataclasses import asdict, dataclass, fields, replace

from ..errors import ConfigError
from ..fields import Bool, Choice, Instance, Int, Num, Optional, check_fields, spec
from ..units import GiB, KiB, MiB

__all__ = ["Workload", "Link", "Policy", "PrecopyConfig", "WORKLOAD_KINDS", "POLICY_NAMES"]

#: how writes spread over memory; a scenario's VM takes the same kinds except "phased"
WORKLOAD_KINDS = ("uniform", "hotset", "sweep", "phased")
#: stop policies (the modules in ``policies.py``)
POLICY_NAMES = ("vmotion", "qemu", "xen")
_GBIT = 1e9 / 8  # bytes per second in one Gbit/s
_BOOL = Bool(api=True)
#: a phase's duration (a number outside a declared field)
_PHASE_S = Num(0, 1e7, lo_open=True, allowed="above 0 and at most 1e7 s")


@dataclass(frozen=True)
class Workload:
    """How the guest writes to memory.

    Parameters
    ----------
    kind : {"uniform", "hotset", "sweep", "phased"}
        ``uniform``: every write hits a page chosen uniformly over all memory, so the set of
        distinct dirty pages saturates (precopy-models.md §5.4, V12). ``hotset``: a
        ``hot_fraction`` of the pages takes ``hot_share`` of the writes (a writable working set,
        Clark 2005). ``sweep``: writes walk memory sequentially, so every write dirties a new page;
        with exact write counts this reproduces the fluid geometric model (§5.1, V1-V3).
        ``phased``: a sequence of ``(duration_s, Workload)`` phases; the last one lasts forever.
    dirty_rate_mibps : float
        Page writes per second times the page size, in MiB/s.
    hot_fraction, hot_share : float
        For ``hotset``: share of pages that are hot and share of writes they get.
    phases : tuple of (float, Workload)
        For ``phased`` only.

    Examples
    --------
    >>> Workload(kind="hotset", dirty_rate_mibps=1024, hot_fraction=0.1, hot_share=0.9).kind
    'hotset'
    """

    kind: str = spec(Choice(WORKLOAD_KINDS, api=True), "how writes spread over memory", "uniform")
    dirty_rate_mibps: float = spec(Num(0, 1024 * 1024, allowed="between 0 and 1048576 MiB/s "
                                       "(1 TiB/s)"), "guest page writes x page size", 0.0)
    hot_fraction: float = spec(Num(0, 1, lo_open=True, allowed="above 0 and at most 1 (100%)"),
                               "hotset: share of pages that are hot", 0.1)
    hot_share: float = spec(Num(0, 1, allowed="between 0 and 1 (0% to 100%)"),
                            "hotset: share of writes they take", 0.9)
    phases: tuple = ()

    def __post_init__(self):
        check_fields(self, "workload.")
        if self.kind == "phased":
            if not isinstance(self.phases, (tuple, list)):
                raise ConfigError("workload.phases", "must be a list of (duration_s, Workload) "
                                                     f"pairs, got {type(self.phases).__name__}")
            phases = tuple(tuple(p) if isinstance(p, list) else p for p in self.phases)
            object.__setattr__(self, "phases", phases)
            if not phases:
                raise ConfigError("workload.phases", "a phased workload needs at least one "
                                                     "(duration_s, Workload) phase")
            for i, phase in enumerate(phases):
                if not (isinstance(phase, tuple) and len(phase) == 2):
                    raise ConfigError(f"workload.phases[{i}]",
                                      "must be a (duration_s, Workload) pair")
                duration, sub = phase
                if msg := _PHASE_S.message(duration):
                    raise ConfigError(f"workload.phases[{i}].duration_s", msg)
                if not isinstance(sub, Workload) or sub.kind == "phased":
                    raise ConfigError(f"workload.phases[{i}].workload",
                                      "must be a uniform, hotset or sweep Workload")
        elif self.phases:
            raise ConfigError("workload.phases",
                              f"only a phased workload has phases, not {self.kind!r}")

    def phase_list(self):
        """Return ``((start_s, end_s, Workload), ...)``; the last phase ends at infinity."""
        if self.kind != "phased":
            return ((0.0, math.inf, self),)
        starts = (0.0, *accumulate(float(duration) for duration, _ in self.phases[:-1]))
        ends = starts[1:] + (math.inf,)
        return tuple(zip(starts, ends, (sub for _, sub in self.phases)))

    def to_dict(self):
        d = {f.name: getattr(self, f.name) for f in fields(self) if f.name != "phases"}
        if self.kind == "phased":
            d["phases"] = [[float(t), w.to_dict()] for t, w in self.phases]
        return d


@dataclass(frozen=True)
class Link:
    """The vMotion network between source and destination host.

    ``effective_bps`` (bytes/s) = min(bandwidth x efficiency, streams x stream ceiling)
    x (1 - encryption cost, if encrypted) / concurrent migrations.

    Parameters
    ----------
    bandwidth_gbps : float
        Line rate of the vMotion NIC(s), Gbit/s.
    streams : int or None
        vMotion streams (vmknics before vSphere 7.0 U2). One stream helper thread saturates about
        15 Gbit/s (vmotion-facts.md §3 [S59]; KB 323379 measured 18 Gb/s with one vmknic on 40 GbE,
        28 with two, 36 with three). ``None`` = automatic, as vSphere 7.0 U2+ sizes the stream
        count from the NIC bandwidth [S59], so the ceiling never binds.
    efficiency : float
        Goodput / line rate. Default 0.94: ~9.4 Gbit/s goodput on 10 GbE (precopy-models.md V13).
    rtt_ms : float
        Round-trip time; the simulator adds one RTT per round and one to the switchover.
    encrypted, encryption_cost : bool, float
        Encrypted vMotion (6.5+) uses a crypto helper thread [S59b]. The cost (default 10 % of the
        throughput) is a teaching assumption, not a VMware figure.
    concurrent : int
        Migrations sharing the link equally (vSphere plans >= 250 Mbit/s per concurrent vMotion).
    stream_ceiling_gbps : float
        Throughput one stream can reach (default 15 Gbit/s, see ``streams``).

    Examples
    --------
    >>> round(Link(bandwidth_gbps=10).effective_bps * 8 / 1e9, 3)
    9.4
    >>> round(Link(bandwidth_gbps=40, streams=1).effective_bps * 8 / 1e9, 3)
    15.0
    """

    bandwidth_gbps: float = spec(Num(0.01, 800, allowed="between 0.01 and 800 Gbit/s"),
                                 "vMotion link rate", 10.0)
    streams: int | None = spec(Optional(Int(1, 16, api=True)),
                               "vMotion streams, ~15 Gbit/s each; by default automatic, as "
                               "vSphere 7.0 U2+ sizes them", None)
    efficiency: float = spec(Num(0.1, 1.0, allowed="between 0.1 and 1 (10% to 100%)"),
                             "goodput / line rate", 0.94)
    rtt_ms: float = spec(Num(0, 1000, allowed="between 0 and 1000 ms"),
                         "round-trip time added per round", 0.0)
    encrypted: bool = spec(_BOOL, "encrypted vMotion (costs throughput)", False)
    encryption_cost: float = spec(Num(0, 0.9, allowed="between 0 and 0.9 (90%)"),
                                  "share of the throughput encryption costs", 0.10)
    concurrent: int = spec(Int(1, 128, api=True), "migrations sharing the link", 1)
    stream_ceiling_gbps: float = spec(Num(0.1, 800, allowed="between 0.1 and 800 Gbit/s"),
                                      "throughput one stream reaches", 15.0)

    def __post_init__(self):
        check_fields(self, "link.")

    @property
    def effective_bps(self):
        """Bytes per second one migration gets on this link."""
        rate = self.bandwidth_gbps * self.efficiency
        if self.streams is not None:
            rate = min(rate, self.streams * self.stream_ceiling_gbps)
        if self.encrypted:
            rate *= 1.0 - self.encryption_cost
        return rate * _GBIT / self.concurrent

    @property
    def rtt_s(self):
        return self.rtt_ms / 1000.0

    def to_dict(self):
        return dict(asdict(self), effective_bps=self.effective_bps)


@dataclass(frozen=True)
class Policy:
    """When pre-copy stops and what happens then. Fields that a policy does not use are ignored.

    Parameters
    ----------
    name : {"vmotion", "qemu", "xen"}
    goal_ms : float
        vmotion: switch over once the remaining pages plus checkpoint can be sent within this
        goal; 500 ms per KB 436882 (vmotion-facts.md §4.2 [S41]).
    sdps : bool
        vmotion: Stun During Page Send (vSphere 5.0+) slows the guest's vCPUs when dirtying keeps
        pace with sending [S62][S63].
    max_switchover_s : float
        vmotion: ``vmotion.maxSwitchoverSeconds``, 100 s by default [S42]; a switchover that
        would take longer fails and the VM stays on the source.
    downtime_limit_ms, auto_converge : float, bool
        qemu: ``downtime-limit`` (300 ms default) against the measured bandwidth; auto-converge
        throttling 50 / 20 / 10 / 99 % (precopy-models.md §7.3). QEMU leaves the auto-converge
        capability off unless it is enabled, so it is off here too.
    max_rounds : int or None
        Optional round cap (qemu, vmotion): pre-copy then stops and copies what is left.
    max_iters, min_pages, max_factor : int
        xen: 29 iterations / fewer than 50 pages sent / more than 3x RAM sent (Xen
        ``xc_domain_save.c``, precopy-models.md §3).
    max_time_s : float
        Simulator safety cap on the iterative phase (after round 0); Appendix A.3 uses 3600 s.
        A run that is still not done then ends: vmotion and xen switch over with what is left
        (or fail, vmotion, beyond ``max_switchover_s``); qemu reports it cancelled.

    Examples
    --------
    >>> Policy(name="qemu", auto_converge=True).downtime_limit_ms
    300.0
    """

    name: str = spec(Choice(POLICY_NAMES, api=True), "stop policy", "vmotion")
    goal_ms: float = spec(Num(0, 1e6, lo_open=True, allowed="above 0 and at most 1e6 ms",
                              to_float=True),
                          "switchover goal of the vmotion policy, KB 436882", 500.0)
    sdps: bool = spec(_BOOL, "Stun During Page Send (vmotion policy)", True)
    max_switchover_s: float = spec(Num(0, 1e5, lo_open=True, allowed="above 0 and at most 1e5 s",
                                       to_float=True),
                                   "vmotion.maxSwitchoverSeconds (vmotion policy)", 100.0)
    downtime_limit_ms: float = spec(Num(0, 2e6, lo_open=True, to_float=True,
                                        allowed="above 0 and at most 2e6 ms (QEMU's 2000 s limit)"),
                                    "downtime-limit of the qemu policy", 300.0)
    auto_converge: bool = spec(_BOOL, "auto-converge throttling (qemu policy)", False)
    max_rounds: int | None = spec(Optional(Int(1, 100_000, api=True)), "optional round cap", None)
    max_iters: int = spec(Int(1, 100_000, api=True), "most iterations (xen policy)", 29)
    min_pages: int = spec(Int(0, 10**9, api=True), "stop below this many pages (xen policy)", 50)
    max_factor: float = spec(Num(0.5, 1000, allowed="between 0.5 and 1000"),
                             "stop after sending this many times the memory (xen policy)", 3.0)
    max_time_s: float = spec(Num(0, 1e7, lo_open=True, allowed="above 0 and at most 1e7 s"),
                             "safety cap on the iterative phase", 3600.0)

    def __post_init__(self):
        check_fields(self, "policy.")

    def to_dict(self):
        return asdict(self)


@dataclass(frozen=True)
class PrecopyConfig:
    """One pre-copy simulation: a VM of ``memory_gib`` pages, a workload, a link and a policy.

    Parameters
    ----------
    memory_gib : float
        VM memory, rounded up to whole pages; 24 TiB is the vSphere 7.0 U1 per-VM maximum
        (vmotion-facts.md §4.3).
    page_size_kib : int
        4 (x86 base pages, default) or 2048 (2 MiB large pages).
    workload, link, policy : Workload, Link, Policy
    checkpoint_mib : float
        CPU and device state sent during the stun, with the last pages. Default 8 MiB: a teaching
        assumption (VMware publishes no size); it only matters for small VMs and slow links.
    resume_ms : float
        Fixed cost to resume on the destination. Default 20 ms, between the 9 ms and 40 ms start-up
        costs Clark et al. measured on Xen (precopy-models.md V5, V6); a teaching assumption.
    exact_writes : bool
        Write counts per round are rate x time exactly (fluid model) instead of Poisson.
    heatmap : bool
        Record per memory cell the last round that dirtied it (at most 65,536 cells).
    seed : int
        Seed of every random draw; same seed, same result on every backend.

    Examples
    --------
    >>> cfg = PrecopyConfig(memory_gib=16, workload=Workload("uniform", 500))
    >>> cfg.n_pages
    4194304
    """

    memory_gib: float = spec(Num(1 / 1024, 24 * 1024, allowed="between 1 MiB and 24 TiB "
                                 "(0.0009765625 to 24576 GiB)"), "VM memory", 16.0)
    page_size_kib: int = spec(Choice((4, 2048), allowed="4 (4 KiB) or 2048 (2 MiB)"),
                              "page size", 4)
    workload: Workload = spec(Instance(Workload), "how the guest writes memory",
                              default_factory=Workload)
    link: Link = spec(Instance(Link), "the vMotion network", default_factory=Link)
    policy: Policy = spec(Instance(Policy), "when pre-copy stops", default_factory=Policy)
    checkpoint_mib: float = spec(Num(0, 65536, allowed="between 0 and 65536 MiB"),
                                 "CPU/device state sent at switchover", 8.0)
    resume_ms: float = spec(Num(0, 600_000, allowed="between 0 and 600000 ms"),
                            "resume time on the destination", 20.0)
    exact_writes: bool = spec(_BOOL, "write counts exactly rate x time (default: Poisson)", False)
    heatmap: bool = spec(_BOOL, "record the last round that dirtied each memory cell", False)
    seed: int = spec(Int(0, 2**63 - 1, api=True), "random seed", 0)

    def __post_init__(self):
        check_fields(self)
        if self.memory_gib * GiB < self.page_size_kib * KiB:
            raise ConfigError("memory_gib", f"must hold at least one {self.page_size_kib} KiB page")

    @property
    def page_bytes(self):
        return int(self.page_size_kib) * KiB

    @property
    def n_pages(self):
        return int(math.ceil(self.memory_gib * GiB / self.page_bytes))

    @property
    def memory_bytes(self):
        return self.n_pages * self.page_bytes

    @property
    def checkpoint_bytes(self):
        return int(round(self.checkpoint_mib * MiB))

    def replace(self, **changes):
        """Return a copy with some fields changed (validated again)."""
        return replace(self, **changes)

    def to_dict(self):
        d = {f.name: getattr(self, f.name) for f in fields(self)}
        return d | {part: d[part].to_dict() for part in ("workload", "link", "policy")}
