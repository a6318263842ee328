"""Host evacuation: move every VM off a host (before maintenance mode).

:func:`plan_evacuation` places each VM of the host on another host of its cluster with the
planning package's DRS pick (:func:`vmotion_core.plan.drs_pick`) (the candidate with the most
free memory), skipping hosts where the compatibility checks block the VM, and then schedules the
moves the way vCenter does (:func:`schedule_evacuation`): every migration costs something
against each host, vMotion network and datastore it touches
(:func:`vmotion_core.compat.limits.costs_of`); vCenter starts as many as the maximum costs allow
(per host, per network speed, per datastore) and **queues** the rest, starting each queued one
as soon as a running one ends and frees its slot (fact sheet §3, vSphere 6.7/8.0 "Limits on
Simultaneous Migrations": queued, not failed). The moves running at the same time share the
vMotion network (:func:`vmotion_core.compat.vmotion_bandwidth` with ``concurrent=N``); each VM's
pre-copy and stun come from the engine (:func:`vmotion_core.precopy.simulate_precopy`).

:func:`simulate_evacuation` times a plan of *waves* an operator starts by hand: the moves of a
wave start together, the next wave when the slowest of the previous one has ended (lab06 grades
such plans). A wave that asks for more than the limits allow is reported as queued.

A VM that only errors the simulator sees (``vcenter_checks=False``, e.g. N1, N5b) keep from
leaving is not reported as blocked: vCenter's pre-check passes, so vCenter would start its move,
and the task would fail where the rule catalogue says (:class:`~vmotion_core.migration.LateFailure`
from :func:`~vmotion_core.migration.execute`, e.g. N1 at 10% "Failed waiting for data. Error 16",
KB 1003734); the move carries it in ``failed_at``. Its target is the best-ranked host vCenter's
check accepts. Every move is run once with :func:`~.run.execute` on its batch entry's plan and
findings and applied with :func:`~.run.moved_environment`; its ``status`` is the move's.

Simplifications (teach them as such): a migration's share of the vMotion network is fixed when
it starts (the number of migrations running on its hosts at that moment), not re-divided as others
start or end; vCenter starts queued migrations in the order they were asked for, skipping one
that still does not fit; DRS weighs far more than free memory; powered-off and suspended VMs are
moved too (cold, no pre-copy) so the host ends up empty.
"""

from __future__ import annotations

import heapq
from collections import Counter
from dataclasses import replace

from ..compat.engine import blocking, check_plan
from ..compat.limits import DATASTORE_MAX, HOST_MAX, check_batch, costs_of, network_max
from ..errors import ConfigError
from ..plan import MigrationRequest, classify, drs_pick, free_memory_gib
from ._evacuation_plan import EvacuationMove, EvacuationPlan
from .run import execute, moved_environment

__all__ = ["EvacuationMove", "EvacuationPlan", "plan_evacuation", "simulate_evacuation",
           "schedule_evacuation"]

#: Learner-visible sentences of this module.
TEXT = {
    "late": "{vm} cannot leave: its move to {target} passes vCenter's compatibility check, so "
            "vCenter would start it; then the task {failure}; the VM stays on {host}",
    "blocked": "{vm} is blocked ({code})",
    "not_run": "{vm} is not run ({code}: the simulator does not model how it would end)",
    "could_not_move": "{vm} could not move ({message})",
    "queued": "{vm} would be queued ({code})",
    "wave": "wave {n}: {text}",
    "cannot_leave": "{vm} cannot leave: {why}",
    "drs_off": "DRS is off in {cluster}: the placement is what the DRS-like pick would choose; "
               "start the migrations by hand",
    "picked": "most free memory ({gib:g} GiB) among compatible targets",
    "skipped": "; skipped {hosts}",
    "none_passes": "no target passes the checks: {tried}",
}


def _problem(res):
    """The report line of a move that did not happen, from its ``status`` ("" when it did)."""
    p = res.plan
    if res.ok:
        return ""
    if res.status == "failed-late" and res.failed_at.rule_id != "LM4":
        return TEXT["late"].format(vm=p.vm, target=p.target_host, failure=res.failed_at,
                                   host=p.source_host)
    if res.status == "failed-late":  # the switchover limit: it ran, then failed
        return TEXT["could_not_move"].format(vm=p.vm, message=res.reason[:80])
    error = blocking(res.findings)[0]
    return TEXT["blocked" if res.status == "blocked" else "not_run"].format(vm=p.vm,
                                                                            code=error.code)


def _move(res, concurrent, **kw):
    """The :class:`EvacuationMove` of one run: its status and, for a live move to another host,
    the pre-copy figures (``duration_s`` is the engine's pre-copy plus switchover; a cold move
    counts its whole task, a failed one until it failed)."""
    p, pre = res.plan, res.precopy
    base = dict(vm=p.vm, target=p.target_host, wave=None, migration_type=p.label,
                memory_gib=float(res.environment.vm(p.vm).memory_gib), status=res.status,
                findings=tuple(res.findings), failed_at=res.failed_at, problem=_problem(res))
    if pre is not None:
        base.update(concurrent=concurrent, share_gbps=res.bandwidth.effective_gbps,
                    precopy_s=pre.precopy_s, stun_ms=pre.downtime_ms, duration_s=pre.total_time_s)
    elif res.started:
        base.update(duration_s=res.failed_at.t_s if res.failed_at else res.total_s)
    if not res.ok and pre is None:  # refused, or stopped before the pre-copy: its errors
        base.update(findings=tuple(blocking(res.findings)))
    return EvacuationMove(**{**base, **kw})


def _run_wave(env, w, pairs, start_s, seed):
    """Moves of one wave, its duration and the environment after it."""
    reqs = [MigrationRequest(vm, target=target) for vm, target in pairs]
    batch = check_batch(env, reqs)
    n = max(1, sum(1 for e in batch.entries if e.ok and e.plan.vmotion))
    moves, slowest = {}, 0.0
    for e in batch.entries:
        res = execute(env, e.request, e.plan, e.findings, seed=seed, concurrent=n)
        problem = _problem(res)
        if res.ok and e.queued:
            code = next(f.code for f in e.findings if f.rule_id.startswith("LM"))
            problem = TEXT["queued"].format(vm=e.plan.vm, code=code)
        m = _move(res, n, start_s=start_s, wave=w if res.ok or res.precopy else None,
                  problem=TEXT["wave"].format(n=w + 1, text=problem) if problem else "")
        slowest = max(slowest, m.duration_s)  # a started task holds its wave until it ends
        moves[e.plan.vm] = m
    for req in reqs:  # apply the wave in order; a move can still fail on the updated inventory
        m = moves[req.vm]
        if not m.ok:
            continue
        plan = classify(env, req)
        findings = check_plan(env, req, plan)
        if not blocking(findings):  # its timed run above stands: move it
            env = moved_environment(env, req, plan)
            continue
        r = execute(env, req, plan, findings, seed=seed)  # the checks stop it: say how
        failed = TEXT["wave"].format(n=w + 1, text=TEXT["could_not_move"].format(
            vm=req.vm, message=r.reason[:80]))
        moves[req.vm] = replace(m, findings=tuple(blocking(r.findings)), status=r.status,
                                failed_at=r.failed_at,
                                problem=f"{m.problem}; {failed}" if m.problem else failed)
    return [moves[r.vm] for r in reqs], slowest, env


def simulate_evacuation(env, waves, seed=0, host=None):
    """Time a wave plan ``[[(vm, target host), ...], ...]`` and return an :class:`EvacuationPlan`.

    Each wave is checked with :func:`~vmotion_core.compat.check_batch` on the environment left
    by the waves before it: a blocked VM stays, a VM the limits would queue is reported as a
    problem (it is still timed in its wave). A VM whose move vCenter would start but that fails
    later (``failed_at``) stays too, and holds its wave until the task fails. With ``host``
    given and no VM left on it, the host ends in maintenance mode.

    Examples
    --------
    >>> from vmotion_core.inventory import load_scenario
    >>> ev = simulate_evacuation(load_scenario("healthy-cluster"),
    ...                          [[("web01", "esx-02"), ("db01", "esx-02")]], host="esx-01")
    >>> ev.waves, ev.ok, ev.environment.host("esx-01").maintenance_mode
    ((('web01', 'db01'),), True, True)
    """
    moves, wave_s = [], []
    for w, wave in enumerate(waves):  # a wave starts when the ones before it have ended
        got, slowest, env = _run_wave(env, w, [tuple(m) for m in wave], sum(wave_s, 0.0), seed)
        moves += got
        wave_s.append(slowest)
    return _finish(env, host, tuple({m.target for m in moves if m.target}), moves, wave_s, seed)


def _finish(env, host, targets, moves, wave_s, seed, notes=(), schedule="waves"):
    if host is not None and not env.vms_on(host) and not env.host(host).maintenance_mode:
        env = env.set_host(host, maintenance_mode=True)
    return EvacuationPlan(host, tuple(sorted(targets)), tuple(moves), tuple(wave_s), env, seed,
                          tuple(notes), schedule)


def _targets_of(env, host, targets):
    h = env.host(host)
    if h.cluster is None:
        raise ConfigError("host", f"{host!r} is a standalone host: an evacuation moves VMs to "
                                  "other hosts of its cluster")
    members = [x.name for x in env.hosts_in(h.cluster) if x.name != host]
    if targets is None:
        return h.cluster, tuple(members)
    targets = tuple(targets)
    for t in targets:
        env.host(t)  # ConfigError for an unknown name
        if t not in members:
            raise ConfigError("targets", f"{t!r} is not another host of cluster {h.cluster!r}; "
                                         f"allowed: {', '.join(members) or 'none'}")
    if not targets:
        raise ConfigError("targets", "give at least one target host")
    return h.cluster, targets


def _place(env, cluster, host, v, targets, seed):
    """(target, why, None) for VM ``v``: DRS's pick among the targets whose checks pass. When no
    target passes: (None, why, the :class:`EvacuationMove` of the VM staying), failed late at
    the best-ranked host that has only errors vCenter's pre-check misses (vCenter would start
    the move there), else blocked with the best-ranked target's errors."""
    vm, tried, first, late, why = v.name, [], (), None, ""
    allowed = set(targets)
    while allowed:
        try:
            pick, _ = drs_pick(env, cluster, vm, host, "the", candidates=allowed,
                               require_drs=False)
        except ConfigError as exc:
            why = str(exc)
            break
        req = MigrationRequest(vm, target=pick)
        plan = classify(env, req)
        findings = check_plan(env, req, plan)
        errors = blocking(findings)
        if not errors:
            why = TEXT["picked"].format(gib=free_memory_gib(env, pick))
            if tried:
                why += TEXT["skipped"].format(hosts=", ".join(tried))
            return pick, why, None
        if late is None and not any(f.vcenter_checks for f in errors):
            r = execute(env, req, plan, findings, seed=seed)
            late = r if r.status == "failed-late" else None
        first = first or errors
        tried.append(f"{pick} ({errors[0].code})")
        allowed.discard(pick)
    why = why or TEXT["none_passes"].format(tried=", ".join(tried))
    if late is not None:
        return None, why, _move(late, 0, placement=why)
    return None, why, EvacuationMove(vm=vm, target=None, wave=None, status="blocked",
                                     memory_gib=float(v.memory_gib), findings=tuple(first),
                                     placement=why,
                                     problem=TEXT["cannot_leave"].format(vm=vm, why=why))


def plan_evacuation(env, host, targets=None, seed=0):
    """Plan and time moving every VM off ``host``; return an :class:`EvacuationPlan`.

    Parameters
    ----------
    env : Environment
    host : str
        The host to empty (it ends in maintenance mode when every VM can leave).
    targets : sequence of str or None
        Hosts of the same cluster that may receive VMs; None: every other host of the cluster.
    seed : int
        Seed of the pre-copy simulations.

    Examples
    --------
    >>> from vmotion_core.inventory import load_scenario
    >>> ev = plan_evacuation(load_scenario("healthy-cluster"), "esx-01")
    >>> ev.ok, len(ev.waves), ev.total_s >= ev.longest_s > 0
    (True, 1, True)
    """
    cluster, targets = _targets_of(env, host, targets)
    drs_on = env.cluster(cluster).drs_enabled
    notes = [] if drs_on else [TEXT["drs_off"].format(cluster=cluster)]
    cur, placed, blocked, why_of = env, [], [], {}
    for v in sorted(env.vms_on(host), key=lambda v: (-v.memory_gib, v.name)):
        target, why, stays = _place(cur, cluster, host, v, targets, seed)
        if stays is not None:
            blocked.append(stays)
            continue
        placed.append((v.name, target))
        why_of[v.name] = why
        # book the memory on the target so the next pick sees it
        cur = cur.relocate_vm(v.name, host=target, reason="evacuation placement")
    ev = schedule_evacuation(env, placed, seed=seed)
    moves = [replace(m, placement=why_of.get(m.vm, "")) for m in ev.moves]
    return _finish(ev.environment, host, targets, moves + blocked, (), seed, notes,
                   schedule="slots")


def _fits(env, usage, costs):
    """True when ``costs`` fit next to ``usage`` under every resource's maximum."""
    limits = {"host": HOST_MAX, "datastore": DATASTORE_MAX}
    return all(usage[k] + c <= (limits.get(k[0]) or network_max(env, k[1]))
               for k, c in costs.items())


def schedule_evacuation(env, moves, seed=0, host=None):
    """Start ``moves`` (``[(vm, target host), ...]``, asked for at once, in that order) as vCenter
    does: as many as the cost limits allow, the rest queued and started, in order, each time a
    running migration ends and frees its slot. Returns an :class:`EvacuationPlan` with
    ``schedule == "slots"``: each move's ``start_s`` (0 unless it was queued), ``queued_s`` and
    ``duration_s``; ``wave`` numbers the moments at which migrations started (0: at once).

    Examples
    --------
    >>> from vmotion_core.inventory import load_scenario
    >>> ev = schedule_evacuation(load_scenario("healthy-cluster"),
    ...                          [("web01", "esx-02"), ("db01", "esx-02")], host="esx-01")
    >>> [m.start_s for m in ev.moves], ev.environment.host("esx-01").maintenance_mode
    ([0.0, 0.0], True)
    """
    pairs = [tuple(m) for m in moves]
    batch = check_batch(env, [MigrationRequest(vm, target=t) for vm, t in pairs])
    # wave None: vCenter refuses it, or it would start and fail later
    out = {e.plan.vm: _move(execute(env, e.request, e.plan, e.findings, seed=seed), 0)
           for e in batch.entries if e.wave is None}
    queue = [e for e in batch.entries if e.wave is not None]
    usage, running, t, n_starts = Counter(), [], 0.0, 0  # running: heap of (end_s, order, entry)
    while queue or running:
        started, waiting = [], []
        for e in queue:  # in the order asked for; one that does not fit yet waits
            costs = costs_of(e.plan)
            if _fits(env, usage, costs):
                usage.update(costs)
                started.append(e)
            else:
                waiting.append(e)
        queue = waiting
        if started:
            n = max(1, sum(e.plan.vmotion for e in [r[2] for r in running] + started))
            for e in started:
                res = execute(env, e.request, e.plan, e.findings, seed=seed, concurrent=n)
                m = _move(res, n, wave=n_starts, start_s=t, queued_s=t)
                out[e.plan.vm] = m
                heapq.heappush(running, (t + m.duration_s, len(out), e))
            n_starts += 1
        if not running:  # nothing fits even on idle resources (not with the published costs)
            break
        t, _, e = heapq.heappop(running)  # the next migration to end frees its slot
        usage.subtract(costs_of(e.plan))
    for e in sorted(batch.entries, key=lambda e: out[e.plan.vm].end_s):
        if out[e.plan.vm].ok:  # the inventory changes in the order the migrations end
            env = moved_environment(env, e.request, classify(env, e.request))
    return _finish(env, host, {m.target for m in out.values() if m.target},
                   [out[vm] for vm, _ in pairs], (), seed, schedule="slots")
