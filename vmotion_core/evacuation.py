"""Host evacuation: move every VM off a host (before maintenance mode).

:func:`plan_evacuation` places each VM of the host on another host of its cluster with the
migration module's DRS pick (the candidate with the most free memory), skipping hosts where the
compatibility checks block the VM, and then schedules the moves the way vCenter does
(:func:`schedule_evacuation`): every migration costs something against each host, vMotion
network and datastore it touches (:func:`vmotion_core.compat.limits.costs_of`); vCenter starts
as many as the maximum costs allow (per host, per network speed, per datastore) and **queues**
the rest, starting each queued one as soon as a running one ends and frees its slot (fact sheet
§3, vSphere 6.7/8.0 "Limits on Simultaneous Migrations": queued, not failed). The moves running
at the same time share the vMotion network (:func:`vmotion_core.compat.vmotion_bandwidth` with
``concurrent=N``); each VM's pre-copy and stun come from the engine
(:func:`vmotion_core.precopy.simulate_precopy`).

:func:`simulate_evacuation` times a plan of *waves* an operator starts by hand: the moves of a
wave start together, the next wave when the slowest of the previous one has ended (lab06 grades
such plans). A wave that asks for more than the limits allow is reported as queued.

A VM that only errors the simulator sees (``vcenter_checks=False``, e.g. N1, N5b) keep from
leaving is not reported as blocked: vCenter's pre-check passes, so vCenter would start its move,
and the task would fail where the rule catalogue says (:class:`vmotion_core.migration.LateFailure`
from :func:`~vmotion_core.migration.migrate`, e.g. N1 at 10% "Failed waiting for data. Error 16",
KB 1003734); the move carries it in ``failed_at``. Its target is the best-ranked host vCenter's
check accepts.

Simplifications (teach them as such): a migration's share of the vMotion network is fixed when
it starts (the number of migrations running on its hosts at that moment), not re-divided as others
start or end; vCenter starts queued migrations in the order they were asked for, skipping one
that still does not fit; DRS weighs far more than free memory; powered-off and suspended VMs are
moved too (cold, no pre-copy) so the host ends up empty.
"""

from __future__ import annotations

from dataclasses import replace

from ._evacuation_plan import EvacuationMove, EvacuationPlan
from ._plan import MigrationRequest, _drs_pick, classify, free_memory_gib
from .compat.engine import blocking, check_plan
from .compat.limits import DATASTORE_MAX, HOST_MAX, check_batch, costs_of, network_max
from .errors import ConfigError
from .migration import _moved_env, _switchover_failure, _vmotion_path, migrate, precopy_config_for
from .precopy import simulate_precopy

__all__ = ["EvacuationMove", "EvacuationPlan", "plan_evacuation", "simulate_evacuation",
           "schedule_evacuation"]


def _late_failure(env, req, errors):
    """The :class:`~vmotion_core.migration.LateFailure` of ``req`` (blocked by ``errors``) when
    vCenter's pre-check would pass and the task would fail later, else None (migrate() decides
    where it fails)."""
    if not errors or any(f.vcenter_checks for f in errors):
        return None
    return migrate(env, req).failed_at


def _late_problem(vm, target, host, lf):
    """The report line of a late failure, in migrate()'s words (stage, percent, message from
    the rule catalogue via :class:`~vmotion_core.migration.LateFailure`)."""
    return (f"{vm} cannot leave: its move to {target} passes vCenter's compatibility check, so "
            f"vCenter would start it; then the task {lf}; the VM stays on {host}")


def _time_one(env, entry, concurrent, seed):
    """(precopy result or None, VMotionPath or None) of one runnable batch entry."""
    p, req = entry.plan, entry.request
    if not (p.live and p.changes_host):
        return None, None
    path = _vmotion_path(env, p, req, concurrent)
    return simulate_precopy(precopy_config_for(env, p, path, seed)), path


def _run_wave(env, w, pairs, start_s, seed):
    """Moves of one wave, its duration and the environment after it."""
    reqs = [MigrationRequest(vm, target=target) for vm, target in pairs]
    batch = check_batch(env, reqs)
    runs = [e for e in batch.entries if e.ok and e.plan.live and e.plan.changes_host]
    n = max(1, len(runs))
    moves, slowest = {}, 0.0
    for e in batch.entries:
        p = e.plan
        base = dict(vm=p.vm, target=p.target_host, migration_type=p.label,
                    memory_gib=float(env.vm(p.vm).memory_gib), start_s=start_s)
        if not e.ok:
            lf = _late_failure(env, e.request, blocking(e.findings))
            problem = (f"wave {w + 1}: {_late_problem(p.vm, p.target_host, p.source_host, lf)}"
                       if lf else f"wave {w + 1}: {p.vm} is blocked "
                                  f"({blocking(e.findings)[0].code})")
            # a started task holds its wave until it fails
            slowest = max(slowest, lf.t_s if lf else 0.0)
            moves[p.vm] = EvacuationMove(wave=None, ok=False, findings=tuple(blocking(e.findings)),
                                         problem=problem, failed_at=lf,
                                         duration_s=lf.t_s if lf else 0.0, **base)
            continue
        problem = ""
        if e.queued:
            code = next(f.code for f in e.findings if f.rule_id.startswith("LM"))
            problem = f"wave {w + 1}: {p.vm} would be queued ({code})"
        res, path = _time_one(env, e, n, seed)
        if res is None:  # cold / suspended: registration only, no pre-copy
            duration, pre, stun, share = migrate(env, e.request, seed=seed).total_s, 0.0, 0.0, 0.0
        else:
            duration, pre, stun = res.total_time_s, res.precopy_s, res.downtime_ms
            share = path.effective_gbps
        slowest = max(slowest, duration)
        findings = e.findings
        failed = res is not None and res.outcome != "switched-over"
        if failed:
            f = _switchover_failure(env, p.vm, res)
            findings, problem = findings + (f,), (f"wave {w + 1}: {p.vm} could not move "
                                                  f"({f.message[:80]})")
        moves[p.vm] = EvacuationMove(wave=w, ok=not failed,
                                     concurrent=n if res is not None else 0, share_gbps=share,
                                     precopy_s=pre, stun_ms=stun, duration_s=duration,
                                     findings=findings, problem=problem, **base)
    for req in reqs:  # apply the wave in order; a move can still fail on the updated inventory
        m = moves[req.vm]
        if not m.ok:
            continue
        plan = classify(env, req)
        if not blocking(check_plan(env, req, plan)):  # its timed run above stands: move it
            env = _moved_env(env, req, plan)
            continue
        r = migrate(env, req, seed=seed)  # the checks stop it: migrate() says how and where
        if not r.ok:
            failed = f"wave {w + 1}: {req.vm} could not move ({r.reason[:80]})"
            moves[req.vm] = replace(m, findings=tuple(blocking(r.findings)), ok=False,
                                    problem=f"{m.problem}; {failed}" if m.problem else failed)
    return [moves[r.vm] for r in reqs], slowest, env


def simulate_evacuation(env, waves, seed=0, host=None):
    """Time a wave plan ``[[(vm, target host), ...], ...]`` and return an :class:`EvacuationPlan`.

    Each wave is checked with :func:`~vmotion_core.compat.check_batch` on the environment left
    by the waves before it: a blocked VM stays, a VM the limits would queue is reported as a
    problem (it is still timed in its wave). A VM whose move vCenter would start but that fails
    later (``failed_at``) stays too, and holds its wave until the task fails. With ``host`` given and no VM left on it, the host
    ends in maintenance mode.

    Examples
    --------
    >>> from vmotion_core.inventory import load_scenario
    >>> ev = simulate_evacuation(load_scenario("healthy-cluster"),
    ...                          [[("web01", "esx-02"), ("db01", "esx-02")]], host="esx-01")
    >>> ev.waves, ev.ok, ev.environment.host("esx-01").maintenance_mode
    ((('web01', 'db01'),), True, True)
    """
    moves, wave_s, t = [], [], 0.0
    for w, wave in enumerate(waves):
        got, slowest, env = _run_wave(env, w, [tuple(m) for m in wave], t, seed)
        moves += got
        wave_s.append(slowest)
        t += slowest
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


def _place(env, cluster, host, vm, targets):
    """(target, why, findings, late) for one VM: DRS's pick among the targets whose checks
    pass. When no target passes, target is None and findings come from the best-ranked one,
    unless a target has only errors vCenter's pre-check misses: then target is the best-ranked
    such host (vCenter would start the move there) and ``late`` its LateFailure."""
    tried, first, late, why = [], None, None, ""
    allowed = set(targets)
    while allowed:
        try:
            pick, _ = _drs_pick(env, cluster, vm, host, "the", candidates=allowed,
                                require_drs=False)
        except ConfigError as exc:
            why = str(exc)
            break
        req = MigrationRequest(vm, target=pick)
        errors = blocking(check_plan(env, req, classify(env, req)))
        if not errors:
            why = f"most free memory ({free_memory_gib(env, pick):g} GiB) among compatible targets"
            if tried:
                why += "; skipped " + ", ".join(tried)
            return pick, why, (), None
        lf = None if late else _late_failure(env, req, errors)
        if lf is not None:
            late = (pick, errors, lf)
        first = first or errors
        tried.append(f"{pick} ({errors[0].code})")
        allowed.discard(pick)
    why = why or "no target passes the checks: " + ", ".join(tried)
    if late is not None:
        return late[0], why, tuple(late[1]), late[2]
    return None, why, first or (), None


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
    notes = []
    if not env.cluster(cluster).drs_enabled:
        notes.append(f"DRS is off in {cluster}: the placement is what the DRS-like pick would "
                     "choose; start the migrations by hand")
    cur, placed, blocked, why_of = env, [], [], {}
    for v in sorted(env.vms_on(host), key=lambda v: (-v.memory_gib, v.name)):
        target, why, findings, lf = _place(cur, cluster, host, v.name, targets)
        if lf is not None:
            blocked.append(EvacuationMove(v.name, target, None, False,
                                          memory_gib=float(v.memory_gib), findings=findings,
                                          placement=why, failed_at=lf, duration_s=lf.t_s,
                                          problem=_late_problem(v.name, target, host, lf)))
            continue
        if target is None:
            blocked.append(EvacuationMove(v.name, None, None, False, memory_gib=float(v.memory_gib),
                                          findings=tuple(findings), placement=why,
                                          problem=f"{v.name} cannot leave: {why}"))
            continue
        placed.append((v.name, target))
        why_of[v.name] = why
        # book the memory on the target so the next pick sees it
        cur = cur.relocate_vm(v.name, host=target, reason="evacuation placement")
    ev = schedule_evacuation(env, placed, seed=seed)
    moves = [replace(m, placement=why_of.get(m.vm, "")) for m in ev.moves]
    return _finish(ev.environment, host, targets, moves + blocked, (), seed, notes,
                   schedule="slots")


def _limit(env, key):
    kind, name = key
    return {"host": HOST_MAX, "datastore": DATASTORE_MAX}.get(kind) or network_max(env, name)


def _fits(env, usage, costs):
    return all(usage.get(k, 0) + c <= _limit(env, k) for k, c in costs.items())


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
    out, queue = {}, []
    for e in batch.entries:
        p = e.plan
        base = dict(vm=p.vm, target=p.target_host, migration_type=p.label,
                    memory_gib=float(env.vm(p.vm).memory_gib))
        if e.wave is None:  # vCenter refuses it, or it would start and fail later
            errors = blocking(e.findings)
            lf = _late_failure(env, e.request, errors)
            problem = (_late_problem(p.vm, p.target_host, p.source_host, lf) if lf
                       else f"{p.vm} is blocked ({errors[0].code})")
            out[p.vm] = EvacuationMove(wave=None, ok=False, findings=tuple(errors),
                                       problem=problem, failed_at=lf,
                                       duration_s=lf.t_s if lf else 0.0, **base)
        else:
            queue.append((e, base))
    usage, running, t, n_starts = {}, [], 0.0, 0  # running: (end_s, order, costs, entry)
    while queue or running:
        started, waiting = [], []
        for e, b in queue:  # in the order asked for; one that does not fit yet waits
            costs = costs_of(e.plan)
            if _fits(env, usage, costs):
                for k, c in costs.items():
                    usage[k] = usage.get(k, 0) + c
                started.append((e, b))
            else:
                waiting.append((e, b))
        queue = waiting
        if started:
            n = sum(1 for r in running if _is_vmotion(r[3])) + sum(
                1 for e, _ in started if _is_vmotion(e))
            for e, b in started:
                m = _timed_move(env, e, b, max(1, n), t, n_starts, seed)
                out[e.plan.vm] = m
                running.append((t + m.duration_s, len(out), costs_of(e.plan), e))
            n_starts += 1
        if not running:  # nothing fits even on idle resources (not with the published costs)
            break
        running.sort(key=lambda r: (r[0], r[1]))
        t, _, costs, _ = running.pop(0)  # the next migration to end frees its slot
        for k, c in costs.items():
            usage[k] -= c
    for vm, target in sorted(pairs, key=lambda vt: out[vt[0]].start_s + out[vt[0]].duration_s):
        m = out[vm]
        if m.ok:  # the inventory changes in the order the migrations end
            env = _moved_env(env, MigrationRequest(vm, target=target),
                             classify(env, MigrationRequest(vm, target=target)))
    return _finish(env, host, {m.target for m in out.values() if m.target},
                   [out[vm] for vm, _ in pairs], (), seed, schedule="slots")


def _is_vmotion(entry):
    return entry.plan.live and entry.plan.changes_host


def _timed_move(env, e, base, concurrent, start_s, wave, seed):
    """The :class:`EvacuationMove` of a batch entry started at ``start_s`` with ``concurrent``
    live migrations sharing the vMotion network."""
    p = e.plan
    res, path = _time_one(env, e, concurrent, seed)
    if res is None:  # cold / suspended: registration only, no pre-copy
        return EvacuationMove(wave=wave, ok=True, start_s=start_s, queued_s=start_s,
                              duration_s=migrate(env, e.request, seed=seed).total_s,
                              findings=e.findings, **base)
    failed = res.outcome != "switched-over"
    findings, problem = e.findings, ""
    if failed:
        f = _switchover_failure(env, p.vm, res)
        findings, problem = findings + (f,), f"{p.vm} could not move ({f.message[:80]})"
    return EvacuationMove(wave=wave, ok=not failed, concurrent=concurrent,
                          share_gbps=path.effective_gbps, start_s=start_s, queued_s=start_s,
                          precopy_s=res.precopy_s, stun_ms=res.downtime_ms,
                          duration_s=res.total_time_s, findings=findings, problem=problem,
                          **base)
