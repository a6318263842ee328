"""Host evacuation: move every VM off a host (before maintenance mode) in waves.

:func:`plan_evacuation` places each VM of the host on another host of its cluster with the
migration module's DRS pick (the candidate with the most free memory), skipping hosts where the
compatibility checks block the VM; groups the placed VMs in waves that stay within vCenter's
limits on simultaneous migrations (:func:`vmotion_core.compat.check_batch`); and times them with
:func:`simulate_evacuation`. :func:`simulate_evacuation` times any given wave plan: the vMotions
of one wave share the vMotion network (:func:`vmotion_core.compat.vmotion_bandwidth` with
``concurrent=N``), each VM's pre-copy and stun come from the engine
(:func:`vmotion_core.precopy.simulate_precopy`), a wave lasts as long as its slowest VM and the
next wave starts when it ends.

A VM that only errors the simulator sees (``vcenter_checks=False``, e.g. N1, N5b) keep from
leaving is not reported as blocked: vCenter's pre-check passes, so vCenter would start its move,
and the task would fail where the rule catalogue says (:class:`vmotion_core.migration.LateFailure`
from :func:`~vmotion_core.migration.migrate`, e.g. N1 at 10% "Failed waiting for data. Error 16",
KB 1003734); the move carries it in ``failed_at``. Its target is the best-ranked host vCenter's
check accepts.

Simplifications (teach them as such): vCenter really starts a queued migration as soon as a slot
frees, not in waves; concurrent migrations share the link equally for their whole run; DRS
weighs far more than free memory; powered-off and suspended VMs are moved too (cold, no
pre-copy) so the host ends up empty.
"""

from __future__ import annotations

from dataclasses import replace

from ._evacuation_plan import EvacuationMove, EvacuationPlan
from ._plan import MigrationRequest, _drs_pick, classify, free_memory_gib
from .compat.engine import blocking, check_plan
from .compat.limits import check_batch
from .errors import ConfigError
from .migration import _moved_env, _switchover_failure, _vmotion_path, migrate, precopy_config_for
from .precopy import simulate_precopy

__all__ = ["EvacuationMove", "EvacuationPlan", "plan_evacuation", "simulate_evacuation"]


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


def _finish(env, host, targets, moves, wave_s, seed, notes=()):
    if host is not None and not env.vms_on(host) and not env.host(host).maintenance_mode:
        env = env.set_host(host, maintenance_mode=True)
    return EvacuationPlan(host, tuple(sorted(targets)), tuple(moves), tuple(wave_s), env, seed,
                          tuple(notes))


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
    waves = _waves(env, placed)
    ev = simulate_evacuation(env, waves, seed=seed, host=None)
    moves = [replace(m, placement=why_of.get(m.vm, "")) for m in ev.moves]
    return _finish(ev.environment, host, targets, moves + blocked, ev.wave_s, seed, notes)


def _waves(env, placed):
    """Fewest waves check_batch allows, with the VMs (largest first) dealt round-robin so waves
    are balanced; check_batch's own greedy waves when a balanced wave would queue."""
    if not placed:
        return []
    batch = check_batch(env, [MigrationRequest(vm, target=t) for vm, t in placed])
    n = max(1, batch.waves)
    dealt = [placed[i::n] for i in range(n)]
    if all(check_batch(env, [MigrationRequest(vm, target=t) for vm, t in w]).waves <= 1
           for w in dealt):
        return dealt
    by_wave = {}
    for (vm, t), e in zip(placed, batch.entries):  # a blocked one goes first, to be reported
        by_wave.setdefault(e.wave or 0, []).append((vm, t))
    return [by_wave[k] for k in sorted(by_wave)]
