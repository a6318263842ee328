"""Inputs of the pre-copy model: workload, link, stop policy and the VM itself.

Every class is a frozen dataclass that validates itself on construction and raises
:class:`~vmotion_core.errors.ConfigError` naming the field and the allowed range, so a learner (or
the CLI) sees ``link.bandwidth_gbps: must be between 0.01 and 800 Gbit/s, got 0`` instead of a
traceback deep inside the engine.

Where a default is a vSphere fact, the docstring cites its source (``vmotion-facts.md``); where it
is a teaching assumption of this simulator, it says so.
"""

from __future__ import annotations

import math
import numbers
from dataclasses import asdict, dataclass, field, fields, replace

from ..errors import ConfigError
from ..units import GiB, KiB, MiB

__all__ = ["Workload", "Link", "Policy", "PrecopyConfig", "WORKLOAD_KINDS", "POLICY_NAMES"]

WORKLOAD_KINDS = ("uniform", "hotset", "sweep", "phased")
POLICY_NAMES = ("vmotion", "qemu", "xen")
_GBIT = 1e9 / 8  # bytes per second in one Gbit/s


def _number(field_name, value, lo, hi, text=None, lo_open=False):
    """Check ``lo <= value <= hi`` (``lo < value`` if ``lo_open``); return it as float."""
    allowed = text or f"between {lo:g} and {hi:g}"
    # numbers.Real so NumPy scalars (np.arange, np.float32) work like Python numbers
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or value != value:
        raise ConfigError(field_name, f"must be a number {allowed}, got {value!r}")
    try:
        value = float(value)
    except OverflowError:  # an int beyond float range
        raise ConfigError(field_name, f"must be {allowed}, got {str(value)[:40]}") from None
    if value > hi or value < lo or (lo_open and value <= lo):
        raise ConfigError(field_name, f"must be {allowed}, got {value:g}")
    return value


def _plain(obj):
    """Store NumPy scalars (``np.int64(4)``) as Python numbers so results stay JSON-safe."""
    for f in fields(obj):
        value = getattr(obj, f.name)
        if isinstance(value, numbers.Number) and not isinstance(value, (int, float)) \
                and hasattr(value, "item"):
            object.__setattr__(obj, f.name, value.item())


def _integer(field_name, value, lo, hi):
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or not lo <= value <= hi:
        raise ConfigError(field_name,
                          f"must be a whole number between {lo} and {hi}, got {value!r}")
    return int(value)


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
        Page writes per second times the page size, in MiB/s (0 to 1 TiB/s).
    hot_fraction, hot_share : float
        For ``hotset``: share of pages that are hot (0 < f <= 1) and share of writes they get.
    phases : tuple of (float, Workload)
        For ``phased`` only.

    Examples
    --------
    >>> Workload(kind="hotset", dirty_rate_mibps=1024, hot_fraction=0.1, hot_share=0.9).kind
    'hotset'
    """

    kind: str = "uniform"
    dirty_rate_mibps: float = 0.0
    hot_fraction: float = 0.1
    hot_share: float = 0.9
    phases: tuple = ()

    def __post_init__(self):
        _plain(self)
        if self.kind not in WORKLOAD_KINDS:
            raise ConfigError("workload.kind", f"must be one of {', '.join(WORKLOAD_KINDS)}, "
                                               f"got {self.kind!r}")
        _number("workload.dirty_rate_mibps", self.dirty_rate_mibps, 0, 1024 * 1024,
                "between 0 and 1048576 MiB/s (1 TiB/s)")
        _number("workload.hot_fraction", self.hot_fraction, 0, 1, "above 0 and at most 1 (100%)",
                lo_open=True)
        _number("workload.hot_share", self.hot_share, 0, 1, "between 0 and 1 (0% to 100%)")
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
                _number(f"workload.phases[{i}].duration_s", duration, 0, 1e7,
                        "above 0 and at most 1e7 s", lo_open=True)
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
        out, t = [], 0.0
        for i, (duration, sub) in enumerate(self.phases):
            end = math.inf if i == len(self.phases) - 1 else t + float(duration)
            out.append((t, end, sub))
            t = end
        return tuple(out)

    def to_dict(self):
        d = {"kind": self.kind, "dirty_rate_mibps": self.dirty_rate_mibps,
             "hot_fraction": self.hot_fraction, "hot_share": self.hot_share}
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
        Line rate of the vMotion NIC(s), Gbit/s (0.01 to 800).
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

    bandwidth_gbps: float = 10.0
    streams: int | None = None
    efficiency: float = 0.94
    rtt_ms: float = 0.0
    encrypted: bool = False
    encryption_cost: float = 0.10
    concurrent: int = 1
    stream_ceiling_gbps: float = 15.0

    def __post_init__(self):
        _plain(self)
        _number("link.bandwidth_gbps", self.bandwidth_gbps, 0.01, 800,
                "between 0.01 and 800 Gbit/s")
        if self.streams is not None:
            _integer("link.streams", self.streams, 1, 16)
        _number("link.efficiency", self.efficiency, 0.1, 1.0, "between 0.1 and 1 (10% to 100%)")
        _number("link.rtt_ms", self.rtt_ms, 0, 1000, "between 0 and 1000 ms")
        if not isinstance(self.encrypted, bool):
            raise ConfigError("link.encrypted", f"must be True or False, got {self.encrypted!r}")
        _number("link.encryption_cost", self.encryption_cost, 0, 0.9, "between 0 and 0.9 (90%)")
        _integer("link.concurrent", self.concurrent, 1, 128)
        _number("link.stream_ceiling_gbps", self.stream_ceiling_gbps, 0.1, 800,
                "between 0.1 and 800 Gbit/s")

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

    name: str = "vmotion"
    goal_ms: float = 500.0
    sdps: bool = True
    max_switchover_s: float = 100.0
    downtime_limit_ms: float = 300.0
    auto_converge: bool = False
    max_rounds: int | None = None
    max_iters: int = 29
    min_pages: int = 50
    max_factor: float = 3.0
    max_time_s: float = 3600.0

    def __post_init__(self):
        _plain(self)
        if self.name not in POLICY_NAMES:
            raise ConfigError("policy.name", f"must be one of {', '.join(POLICY_NAMES)}, "
                                             f"got {self.name!r}")
        object.__setattr__(self, "goal_ms", _number("policy.goal_ms", self.goal_ms, 0, 1e6,
                                                    "above 0 and at most 1e6 ms", lo_open=True))
        for flag in ("sdps", "auto_converge"):
            if not isinstance(getattr(self, flag), bool):
                raise ConfigError(f"policy.{flag}", f"must be True or False, got "
                                                    f"{getattr(self, flag)!r}")
        object.__setattr__(self, "max_switchover_s", _number(
            "policy.max_switchover_s", self.max_switchover_s, 0, 1e5, "above 0 and at most 1e5 s",
            lo_open=True))
        object.__setattr__(self, "downtime_limit_ms", _number(
            "policy.downtime_limit_ms", self.downtime_limit_ms, 0, 2e6,
            "above 0 and at most 2e6 ms (QEMU's 2000 s limit)", lo_open=True))
        if self.max_rounds is not None:
            _integer("policy.max_rounds", self.max_rounds, 1, 100_000)
        _integer("policy.max_iters", self.max_iters, 1, 100_000)
        _integer("policy.min_pages", self.min_pages, 0, 10**9)
        _number("policy.max_factor", self.max_factor, 0.5, 1000, "between 0.5 and 1000")
        _number("policy.max_time_s", self.max_time_s, 0, 1e7, "above 0 and at most 1e7 s",
                lo_open=True)

    def to_dict(self):
        return asdict(self)


@dataclass(frozen=True)
class PrecopyConfig:
    """One pre-copy simulation: a VM of ``memory_gib`` pages, a workload, a link and a policy.

    Parameters
    ----------
    memory_gib : float
        VM memory, 1 MiB to 24 TiB (the vSphere 7.0 U1 per-VM maximum, vmotion-facts.md §4.3).
        It is rounded up to whole pages.
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

    memory_gib: float = 16.0
    page_size_kib: int = 4
    workload: Workload = field(default_factory=Workload)
    link: Link = field(default_factory=Link)
    policy: Policy = field(default_factory=Policy)
    checkpoint_mib: float = 8.0
    resume_ms: float = 20.0
    exact_writes: bool = False
    heatmap: bool = False
    seed: int = 0

    def __post_init__(self):
        _plain(self)
        _number("memory_gib", self.memory_gib, 1 / 1024, 24 * 1024,
                "between 1 MiB and 24 TiB (0.0009765625 to 24576 GiB)")
        if self.page_size_kib not in (4, 2048) or isinstance(self.page_size_kib, bool):
            raise ConfigError("page_size_kib", f"must be 4 (4 KiB) or 2048 (2 MiB), "
                                               f"got {self.page_size_kib!r}")
        for name, cls in (("workload", Workload), ("link", Link), ("policy", Policy)):
            if not isinstance(getattr(self, name), cls):
                raise ConfigError(name, f"must be a {cls.__name__}, got "
                                        f"{type(getattr(self, name)).__name__}")
        if self.memory_gib * GiB < self.page_size_kib * KiB:
            raise ConfigError("memory_gib", f"must hold at least one {self.page_size_kib} KiB page")
        _number("checkpoint_mib", self.checkpoint_mib, 0, 65536, "between 0 and 65536 MiB")
        _number("resume_ms", self.resume_ms, 0, 600_000, "between 0 and 600000 ms")
        for flag in ("exact_writes", "heatmap"):
            if not isinstance(getattr(self, flag), bool):
                raise ConfigError(flag, f"must be True or False, got {getattr(self, flag)!r}")
        _integer("seed", self.seed, 0, 2**63 - 1)

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
        return {"memory_gib": self.memory_gib, "page_size_kib": self.page_size_kib,
                "workload": self.workload.to_dict(), "link": self.link.to_dict(),
                "policy": self.policy.to_dict(), "checkpoint_mib": self.checkpoint_mib,
                "resume_ms": self.resume_ms, "exact_writes": self.exact_writes,
                "heatmap": self.heatmap, "seed": self.seed}
