"""Limits on simultaneous migrations (fact sheet §3): vCenter's cost model for batches.

Every operation costs something against each host, vMotion network and datastore it touches; an
operation that would push a resource over its maximum is *queued*, not failed (warnings LM1-LM3).
:func:`check_batch` checks each request like :func:`~.engine.check_migration`, then places the
runnable ones in waves: wave 0 starts at once, wave *n* waits for *n* earlier waves (the
simulator assumes migrations in one wave finish together).

Costs (vSphere 6.7/8.0 "Limits on Simultaneous Migrations"):

=====================  ====  =======  ============================
operation              host  network  datastore
=====================  ====  =======  ============================
vMotion                1     1        1 (shared datastore)
Storage vMotion        4     -        16 (source and destination)
shared-nothing         4     1        16 (source and destination)
cold / provisioning    1     -        -
=====================  ====  =======  ============================

Maxima: host 8; network 4 on 1 GbE, 8 on 10 GbE (no higher tiers are published); datastore 128.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from itertools import count

from ..plan import classify
from .engine import Ctx, blocking, check_plan, sort_findings
from .netpath import host_vmotion_gbps, vmotion_bandwidth
from .network import MIN_MBPS_PER_VMOTION

__all__ = ["check_batch", "BatchPlan", "BatchEntry", "costs_of", "HOST_MAX", "DATASTORE_MAX",
           "network_max"]

HOST_MAX = 8
DATASTORE_MAX = 128
_COSTS = {  # kind -> (host, network, datastore)
    "vmotion": (1, 1, 1),
    "storage-vmotion": (4, 0, 16),
    "shared-nothing": (4, 1, 16),
    "cold": (1, 0, 0),
}
_KIND_TEXT = {"vmotion": "vMotion", "storage-vmotion": "Storage vMotion",
              "shared-nothing": "shared-nothing vMotion", "cold": "cold migration"}


def network_max(env, host):
    """Maximum network cost of ``host``'s vMotion network: 8 on 10 GbE or faster, else 4."""
    return 8 if host_vmotion_gbps(env, host) >= 10 else 4


def costs_of(plan):
    """``{(resource kind, name): cost}`` of one classified migration, in a fixed order (source
    before target, datastores as the plan lists them): the first resource over its maximum is
    the one a limit finding names, so the order must not depend on the hash seed."""
    host_c, net_c, ds_c = _COSTS[plan.cost_kind]
    hosts = dict.fromkeys((plan.source_host, plan.target_host))
    out = {("host", h): host_c for h in hosts}
    if net_c:
        out.update({("network", h): net_c for h in hosts})
    if plan.cost_kind == "vmotion":
        dss = dict.fromkeys(ds for _, ds in plan.placement)
    else:
        dss = dict.fromkeys(ds for m in plan.file_moves for ds in (m[1], m[2]))
    if ds_c:
        out.update({("datastore", d): ds_c for d in dss})
    return out


def _max(env, key):
    kind, name = key
    return {"host": HOST_MAX, "datastore": DATASTORE_MAX}.get(kind) or network_max(env, name)


@dataclass(frozen=True)
class BatchEntry:
    """One request of a batch: its plan, findings, wave (None when errors block it)."""

    request: object
    plan: object
    findings: tuple
    wave: int | None

    @property
    def queued(self):
        return bool(self.wave)

    @property
    def ok(self):
        return self.wave is not None

    def to_dict(self):
        return {"vm": self.plan.vm, "migration_type": self.plan.label, "wave": self.wave,
                "queued": self.queued, "ok": self.ok,
                "findings": [f.to_dict() for f in self.findings]}


@dataclass(frozen=True)
class BatchPlan:
    """The result of :func:`check_batch`."""

    entries: tuple

    @property
    def waves(self):
        return 1 + max((e.wave for e in self.entries if e.wave is not None), default=-1)

    @property
    def started(self):
        return tuple(e.plan.vm for e in self.entries if e.wave == 0)

    @property
    def queued(self):
        return tuple(e.plan.vm for e in self.entries if e.queued)

    def to_dict(self):
        return {"waves": self.waves, "started": list(self.started), "queued": list(self.queued),
                "entries": [e.to_dict() for e in self.entries]}


def _limit_finding(env, req, plan, key, used, cost):
    kind, name = key
    ctx = Ctx(env, req, plan)
    text = _KIND_TEXT[plan.cost_kind]
    if kind == "network":
        mx = network_max(env, name)
        ctx.add("LM2", env.path("host", name), severity="warning", host=name, max=mx, used=used,
                speed="10 GbE" if mx == 8 else "1 GbE")
    else:  # LM1 names the host, LM3 the datastore
        ctx.add("LM1" if kind == "host" else "LM3", env.path(kind, name), severity="warning",
                host=name, datastore=name, max=_max(env, key), used=used, kind=text, cost=cost)
    return ctx.findings[0]


def check_batch(env, requests):
    """Check several migrations started together; return a :class:`BatchPlan`.

    Examples
    --------
    >>> from vmotion_core.inventory import load_scenario
    >>> from vmotion_core.migration import MigrationRequest
    >>> env = load_scenario("healthy-cluster")
    >>> plan = check_batch(env, [MigrationRequest("web01", target="esx-02"),
    ...                          MigrationRequest("db01", target="esx-02")])
    >>> plan.waves
    1
    """
    waves = []  # list of {resource key: used}
    entries = []
    for req in requests:
        plan = classify(env, req)
        findings = list(check_plan(env, req, plan))
        if blocking(findings):
            entries.append(BatchEntry(req, plan, tuple(findings), None))
            continue
        costs = costs_of(plan)
        for w in count():  # the first wave with room for every cost
            if w == len(waves):
                waves.append({})
            load = waves[w]
            over = next((k for k, c in costs.items() if load.get(k, 0) + c > _max(env, k)), None)
            if over is None:
                break
            if w == 0:
                findings.append(_limit_finding(env, req, plan, over, load.get(over, 0), costs[over]))
        for k, c in costs.items():
            waves[w][k] = waves[w].get(k, 0) + c
        entries.append(BatchEntry(req, plan, tuple(findings), w))
    return BatchPlan(tuple(_bandwidth_share(env, e, waves) for e in entries))


def _bandwidth_share(env, entry, waves):
    """N3 for batches: 250 Mbps per concurrent vMotion on each host's vMotion network."""
    p, findings = entry.plan, list(entry.findings)
    if entry.wave is not None and p.cost_kind in ("vmotion", "shared-nothing"):
        n = max(waves[entry.wave].get(("network", h), 1) for h in (p.source_host, p.target_host))
        share = vmotion_bandwidth(env, p.source_host, p.target_host).bandwidth_gbps * 1000 / n
        if n > 1 and share < MIN_MBPS_PER_VMOTION:
            ctx = Ctx(env, entry.request, p)
            ctx.add("N3", env.path("host", p.target_host), per_migration_mbps=f"{share:g}")
            findings += [f for f in ctx.findings if f not in findings]
    return replace(entry, findings=tuple(sort_findings(findings)))
