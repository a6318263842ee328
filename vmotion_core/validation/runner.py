"""Run the validation cases on the simulator and judge every check.

For each point of a case the runner builds the simulator configuration from the point's inputs
(``configs``), runs it, and reads off the quantities the case's checks name. Nothing here holds an
expected value: those live in :mod:`~vmotion_core.validation.cases`.

Example
-------
>>> report = run_cases(["V3"])
>>> report.passed, report.cases[0].case.id
(True, 'V3')
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

from ..precopy import BACKEND, Link, PrecopyRun, Policy, PrecopyConfig, Workload, simulate_precopy
from ..units import GiB, MiB, TiB
from .cases import CASE_IDS, CASES, ValidationCase, get_case
from .configs import FLUID_BPS, FLUID_MEMORY_BYTES, PAGE_BYTES, fluid_config, simgrid_config

__all__ = ["CaseResult", "ValidationReport", "run_case", "run_cases", "measure_point"]


@dataclass(frozen=True)
class CaseResult:
    """The judged expectations of one case (``results``: tuple of
    :class:`~vmotion_core.validation.expectation.Verdict`)."""

    case: ValidationCase
    results: tuple
    elapsed_s: float
    backend: str

    @property
    def passed(self):
        return all(r.passed for r in self.results)

    @property
    def counts(self):
        """``{"pass": n, "FAIL": n, "info": n}``."""
        return {status: sum(r.status == status for r in self.results)
                for status in ("pass", "FAIL", "info")}

    def to_dict(self):
        d = self.case.to_dict()
        d.pop("checks")
        d.update(passed=self.passed, counts=self.counts, elapsed_s=self.elapsed_s,
                 backend=self.backend, checks=[r.to_dict() for r in self.results])
        return d


@dataclass(frozen=True)
class ValidationReport:
    """All cases that ran; ``passed`` is True when no check failed."""

    cases: tuple
    elapsed_s: float
    backend: str

    @property
    def passed(self):
        return all(c.passed for c in self.cases)

    def to_dict(self):
        return {"passed": self.passed, "backend": self.backend, "elapsed_s": self.elapsed_s,
                "cases": [c.to_dict() for c in self.cases]}


def run_case(case, backend=None):
    """Run one case (a ValidationCase or an id like "V3"); return its CaseResult.

    >>> r = run_case("V12")
    >>> r.passed, r.counts["FAIL"]
    (True, 0)
    """
    case = case if isinstance(case, ValidationCase) else get_case(case)
    start = time.perf_counter()
    measured = {point: measure_point(case.id, params, backend) for point, params in case.points}
    results = tuple(c.judge(measured[c.point].get(c.quantity)) for c in case.expectations)
    return CaseResult(case, results, time.perf_counter() - start, backend or BACKEND)


def run_cases(ids=None, backend=None):
    """Run the cases ``ids`` (default: all, V1..V13) and return a ValidationReport.

    >>> report = run_cases(["V1", "V13"])
    >>> [c.case.id for c in report.cases], report.passed
    (['V1', 'V13'], True)
    """
    start = time.perf_counter()
    chosen = [get_case(i) for i in ids] if ids else [CASES[i] for i in CASE_IDS]
    results = tuple(run_case(c, backend) for c in chosen)
    return ValidationReport(results, time.perf_counter() - start, backend or BACKEND)


def measure_point(case_id, params, backend=None):
    """Run the simulator for one point of case ``case_id``; return ``{quantity: value}``.

    >>> measure_point("V3", {"lam": 0.5})["live_rounds"]
    5
    """
    return _MEASURE[case_id](dict(params), backend)


# -- per-case measurements ------------------------------------------------------------------

def _fluid(lam, policy, backend, **kw):
    return simulate_precopy(fluid_config(lam, policy, **kw), backend=backend)


def _totals(res):
    return {"total_bytes": res.bytes_sent, "total_gib": res.bytes_sent / GiB,
            "total_time_s": res.total_time_s, "downtime_ms": res.downtime_ms,
            "converged": res.converged, "outcome": res.outcome, "live_rounds": res.n_rounds}


def _ceil_rounds(threshold_bytes, lam):
    return math.ceil(math.log(threshold_bytes / FLUID_MEMORY_BYTES) / math.log(lam))


def _v1(p, backend):
    lam = p["lam"]
    goal_ms = 50 * PAGE_BYTES / FLUID_BPS * 1000  # V_th = 50 pages as a switchover goal
    res = _fluid(lam, Policy(goal_ms=goal_ms, sdps=False), backend)
    out = dict(_totals(res), round0_s=res.rounds[0].duration_s)
    if 0 < lam < 1:
        out["ceil(ln(V_th/M)/ln λ)"] = _ceil_rounds(50 * PAGE_BYTES, lam)
    return out


def _xen_rule(res):
    reason, p = res.stop_reason, res.config.policy
    if "fewer than" in reason:
        return f"<{p.min_pages} pages"
    if "x RAM" in reason:
        return f">{p.max_factor:g}xRAM"
    return f"{p.max_iters} iterations" if "iterations" in reason else reason


def _v2(p, backend):
    res = _fluid(p["lam"], Policy(name="xen"), backend)
    return dict(_totals(res), iterations=res.n_rounds + 1, rule=_xen_rule(res))


def _v3(p, backend):
    lam = p["lam"]
    res = _fluid(lam, Policy(name="qemu", max_time_s=p.get("max_time_s", 3600.0)), backend)
    out = _totals(res)
    if 0 < lam < 1:
        out["ceil(ln(B·d_max/M)/ln λ)"] = _ceil_rounds(FLUID_BPS * 0.3, lam)
    return out


def _simgrid(p, backend):
    cfg = simgrid_config(p["ram_bytes"], p["speed_bps"], p.get("intensity", 0.0),
                         max_time_s=p.get("max_time_s", 3600.0), concurrent=p.get("concurrent", 1))
    res = simulate_precopy(cfg, backend=backend)
    return dict(_totals(res), stage2_rounds=res.n_rounds - 1)


def _clark_config(p):
    """A Clark-style run: ``memory_bytes``, a hot set (``wws_bytes``, ``hot_pages`` or
    ``hot_fraction``; uniform writes if none), link rate ``link_bps`` at 100 % efficiency."""
    n_pages = math.ceil(p["memory_bytes"] / PAGE_BYTES)
    if "wws_bytes" in p:
        hot = p["wws_bytes"] / p["memory_bytes"]
    elif "hot_pages" in p:
        hot = p["hot_pages"] / n_pages
    else:
        hot = p.get("hot_fraction")
    workload = (Workload("uniform", p["dirty_rate_mibps"]) if hot is None else
                Workload("hotset", p["dirty_rate_mibps"], hot_fraction=hot,
                         hot_share=p.get("hot_share", 1.0)))
    policy = Policy(name=p["policy"], auto_converge=p.get("auto_converge", False),
                    max_time_s=p.get("max_time_s", 3600.0))
    return PrecopyConfig(memory_gib=p["memory_bytes"] / GiB, workload=workload,
                         link=Link(bandwidth_gbps=p["link_bps"] * 8 / 1e9, efficiency=1.0),
                         policy=policy, checkpoint_mib=0, resume_ms=p["resume_ms"],
                         seed=p.get("seed", 0))


def _clark(p, backend):
    res = simulate_precopy(_clark_config(p), backend=backend)
    round0 = res.rounds[0].duration_s
    final = res.final_pages * PAGE_BYTES
    return dict(_totals(res), round0_s=round0, round0_share=round0 / res.total_time_s,
                later_rounds_s=res.precopy_s - round0, final_round_mb=final / 1e6,
                final_round_kb=final / 1e3, total_mb=res.bytes_sent / 1e6,
                total_over_ram=res.bytes_sent / res.config.memory_bytes,
                downtime_s=res.downtime_ms / 1e3,
                resume_share=(res.config.resume_ms / res.downtime_ms if res.downtime_ms else 0.0),
                rule=_xen_rule(res) if res.policy == "xen" else res.policy)


def _v11(p, backend):
    res = _fluid(p["lam"], Policy(name="qemu", auto_converge=True), backend,
                 memory_gib=p.get("memory_gib", 1.0))
    throttles = [round(r.throttle, 6) for r in res.rounds]
    steps = [t for i, t in enumerate(throttles) if t > 0 and (i == 0 or t != throttles[i - 1])]
    final = steps[-1] if steps else 0.0
    return dict(_totals(res),
                throttle_after_period_1=throttles[1] if len(throttles) > 1 else None,
                throttle_after_period_2=throttles[2] if len(throttles) > 2 else None,
                throttle_steps=steps, periods_to_final_step=throttles.index(final),
                sleep_ms_per_10ms_slice=[f"{10 * t / (1 - t):.3g}" for t in steps])


def _v12(p, backend):
    t_s, memory = p["t_s"], FLUID_MEMORY_BYTES
    # round 0 of a 1 GiB VM lasts exactly t_s when the link moves 1 GiB in t_s
    cfg = PrecopyConfig(memory_gib=memory / GiB,
                        workload=Workload("uniform", 1e5 * PAGE_BYTES / MiB),
                        link=Link(bandwidth_gbps=memory * 8 / 1e9 / t_s, efficiency=1.0),
                        exact_writes=True, seed=p["seed"])
    rec = PrecopyRun(cfg, backend=backend).step()
    return {"page_writes": rec.page_writes, "distinct_pages": rec.pages_dirtied,
            "round_s": rec.duration_s}


def _v13(p, backend):
    what = p["what"]
    if what == "stream":
        link = Link(bandwidth_gbps=p["bandwidth_gbps"], streams=p["streams"],
                    efficiency=1.0 if p["bandwidth_gbps"] >= 100 else Link().efficiency)
        return {"gbps": link.effective_bps * 8 / 1e9}
    if what == "min_share":
        from ..compat.network import MIN_MBPS_PER_VMOTION
        return {"min_mbps": MIN_MBPS_PER_VMOTION}
    if what == "goal":
        res = simulate_precopy(PrecopyConfig(memory_gib=16, workload=Workload("uniform", 500),
                                             link=Link(bandwidth_gbps=10)), backend=backend)
        return {"goal_ms": Policy().goal_ms, "switchover_ms": res.switchover_s * 1e3}
    if what == "max_switchover":
        # 16 GiB rewritten faster than 1 GbE can send it, SDPS off: the forced switchover of
        # nearly all memory would take ~146 s, beyond the 100 s maximum
        cfg = PrecopyConfig(memory_gib=16, workload=Workload("uniform", 1024),
                            link=Link(bandwidth_gbps=1), policy=Policy(sdps=False))
        res = simulate_precopy(cfg, backend=backend)
        return {"max_switchover_s": Policy().max_switchover_s, "outcome": res.outcome,
                "message_cited": "maximum switchover time of 100 second(s)" in res.stop_reason}
    if what == "bitmap":
        one_tib = PrecopyRun(PrecopyConfig(memory_gib=TiB / GiB), backend=backend)
        allocated = one_tib.bitmap_bytes  # the engine's own dirty bitmap (1 bit per page)
        n_24 = PrecopyConfig(memory_gib=24 * TiB / GiB).n_pages
        return {"mib_per_tib": allocated / MiB, "mib_at_24tib": n_24 / 8 / MiB}
    if what == "round0":
        cfg = PrecopyConfig(memory_gib=p["memory_gib"],
                            link=Link(bandwidth_gbps=p["bandwidth_gbps"]))
        return {"round0_s": PrecopyRun(cfg, backend=backend).step().duration_s}
    raise ValueError(f"unknown V13 point kind {what!r}")


_MEASURE = {"V1": _v1, "V2": _v2, "V3": _v3, "V4": _simgrid, "V5": _clark, "V6": _clark,
            "V7": _clark, "V8": _clark, "V9": _simgrid, "V10": _simgrid, "V11": _v11,
            "V12": _v12, "V13": _v13}
