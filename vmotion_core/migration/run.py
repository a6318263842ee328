"""Run a migration on the simulated environment: ``migrate = classify -> check -> execute``.

:func:`migrate` does what vCenter does with a Relocate task. :func:`execute` runs the checked
plan: :func:`decide` says whether the task starts (an error vCenter's own pre-check reports,
``vcenter_checks=True``, blocks it), then the timeline runs: preparation, disk copy for storage
moves (:mod:`.disk_copy`), memory pre-copy on the engine, switchover (stun), resume, RARP,
cleanup. A run that fails (e.g. the switchover would exceed ``vmotion.maxSwitchoverSeconds``)
leaves the environment unchanged, as vSphere keeps the VM running on the source.

Errors only the simulator sees (``vcenter_checks=False``) do not stop the task at the check, as
vCenter would pass them: the log says "Compatibility checks succeeded.", the task starts, and it
fails where the rule catalogue says (``Rule.fails_at``/``fails_at_percent``/``runtime_message``,
e.g. N1 "Failed waiting for data. Error 16" at about 10%, KB 1003734). The result's
``failed_at`` (:class:`~.result.LateFailure`) tells where. A simulator-only error without such a
stage (N11, RTT above 150 ms: the fact sheet documents it as unsupported, not how it ends) is
not run; a ``simulator note`` log line says so.

A compatibility *warning* does not stop the task (fact sheet §2). One warning is known to end
badly in the product: N5a, vMotion vmknics with different MTUs or TCP/IP stacks (KB 432825: the
migration may go through, and often fails or crawls). The simulator fails it only when a hop
cannot carry the larger frames (N5b, KB 417889) and otherwise runs it at full speed; a
``simulator note`` says so.

Each step is a public function, so other runs compose them: :mod:`.evacuation` calls
:func:`execute` with ``concurrent=N`` and :func:`moved_environment`.
"""

from __future__ import annotations

import numbers
from typing import NamedTuple

from ..compat.engine import blocking, check_plan, sort_findings
from ..compat.netpath import encrypted_vmotion_used, nfc_link, vmotion_bandwidth
from ..compat.rules import RULES
from ..errors import ConfigError
from ..plan import classify
from ..precopy import Policy, PrecopyConfig, Workload, simulate_precopy
from .disk_copy import FSR_GOAL_MS, disk_copy_for, fsr_stun_ms
from .eventlog import EventLog, migration_id
from .result import MigrationResult, late_failure
from .timeline import STALL_S, Timeline

__all__ = ["migrate", "execute", "decide", "StartDecision", "precopy_config_for", "vmotion_path",
           "switchover_failure", "moved_environment", "N5A_NOTE", "TEXT"]

#: What the simulator says when it runs a move with the N5a warning (kept here for translation).
N5A_NOTE = ("N5a: the vMotion vmknics disagree in MTU or TCP/IP stack. vCenter warns and "
            "lets the task start; in vSphere such a move may go through, crawl or time out "
            "(KB 432825). The simulator fails it only when a hop cannot carry the larger "
            "frames (N5b), and otherwise runs it at full speed.")
#: Learner-visible sentences of this module.
TEXT = {
    "not_run": "not run: {rule} {code} is outside what vSphere supports and the simulator does "
               "not model how such a run ends (vCenter's pre-check would not stop it): {message}",
    "moved": "{label} migration",
    "cleanup_vmotion": "source VM instance removed, its memory freed",
    "cleanup_fsr": "source files deleted",
    "cleanup_copy": "source copy deleted",
    "cleanup_register": "unregistered from the source",
}

class StartDecision(NamedTuple):
    """What :func:`decide` says before anything runs.

    Attributes
    ----------
    status : str
        ``run``, ``blocked``, ``not-run`` or ``failed-late``.
    finding : Finding or None
        The finding that blocks the task or stops it (None for ``run``).
    phase : str or None
        For ``failed-late``: the phase the task stops in (``disk copy`` or ``pre-copy``).
    """

    status: str
    finding: object
    phase: str | None


def decide(plan, findings):
    """Decide, from the checked ``plan``'s ``findings``, how the task goes before it runs.

    Returns a :class:`StartDecision`: ``blocked`` by the first error vCenter's pre-check reports;
    ``not-run`` when a simulator-only error has no modelled ending; ``failed-late`` with the
    simulator-only error the run meets first and the phase it stops in (a disk copy stops at
    its network's stage: NFC for cold and long-distance copies, else the vMotion transfer);
    else ``run``. A switchover that cannot meet the limit is found only by running the pre-copy.
    """
    errors = blocking(findings)
    vc = [f for f in errors if f.vcenter_checks]
    if vc:
        return StartDecision("blocked", vc[0], None)
    late = [f for f in errors if not f.vcenter_checks]
    unmodelled = [f for f in late if not RULES[f.rule_id].late_failure]
    if unmodelled:
        return StartDecision("not-run", unmodelled[0], None)
    if not late:
        return StartDecision("run", None, None)
    copy_stage = "nfc-copy" if not plan.live or plan.long_distance else "vmotion-transfer"

    def in_copy(f):
        stage = RULES[f.rule_id].fails_at
        return stage == "nfc-copy" or (bool(plan.file_moves) and stage == copy_stage)

    f = min(late, key=lambda f: not in_copy(f))  # the first of those met in the disk copy
    return StartDecision("failed-late", f, "disk copy" if in_copy(f) else "pre-copy")


def precopy_config_for(env, plan, path, seed=0):
    """The engine configuration for a live move: the VM's memory and workload profile, the
    vMotion ``path``'s link, the vMotion stop policy with the VM's ``max_switchover_s``."""
    v = env.vm(plan.vm)
    w = v.workload  # its kinds are the engine's (the loader allows no others)
    return PrecopyConfig(
        memory_gib=float(v.memory_gib),
        workload=Workload(kind=w.kind, dirty_rate_mibps=float(w.dirty_rate_mibps),
                          hot_fraction=float(w.hot_fraction), hot_share=float(w.hot_share)),
        link=path.link, policy=Policy(name="vmotion", max_switchover_s=float(v.max_switchover_s)),
        seed=int(seed))


def vmotion_path(env, plan, req, concurrent=1):
    """The vMotion network of a live move to another host, encrypted as the VM and ``req`` say,
    shared by ``concurrent`` migrations."""
    enc = encrypted_vmotion_used(env, plan.vm, plan.source_host, plan.target_host,
                                 req.encrypted_vmotion)
    return vmotion_bandwidth(env, plan.source_host, plan.target_host, concurrent=concurrent,
                             encrypted=enc)


def switchover_failure(env, vm, res):
    """The LM4 finding of a pre-copy ``res`` that could not switch over within the VM's limit."""
    return RULES["LM4"].finding(env.path("vm", vm),
                                limit_s=f"{res.config.policy.max_switchover_s:g}",
                                detail=res.stop_reason)


def moved_environment(env, req, plan):
    """The environment after ``plan`` succeeded: the VM on its target host and datastores, in
    the target's resource pool or vApp (a pool of the old cluster stays behind)."""
    v = env.vm(plan.vm)
    kwargs = {}
    other_cluster = env.host(plan.target_host).cluster != env.host(v.host).cluster
    for attr in ("resource_pool", "vapp"):
        if getattr(plan, attr) is not None or (getattr(v, attr) and other_cluster):
            kwargs[attr] = getattr(plan, attr)
    return env.relocate_vm(plan.vm, host=plan.target_host if plan.changes_host else None,
                           disk_datastores=dict(req.disk_datastores) or None,
                           datastore=req.datastore, network_map=dict(req.network_map) or None,
                           reason=TEXT["moved"].format(label=plan.label), **kwargs)


def migrate(env, req, seed=0):
    """Migrate ``req.vm`` as ``req`` asks; return a :class:`~.result.MigrationResult`.

    ``migrate`` is :func:`~vmotion_core.plan.classify`, then
    :func:`~vmotion_core.compat.check_plan`, then :func:`execute`.

    Parameters
    ----------
    env : Environment
    req : MigrationRequest
    seed : int
        Seed of the pre-copy simulation (same seed, same result and log).

    Returns
    -------
    MigrationResult
        ``result.status`` is ``ok``, ``blocked``, ``not-run`` or ``failed-late``.

    Examples
    --------
    >>> from vmotion_core.inventory import load_scenario
    >>> from vmotion_core.plan import MigrationRequest
    >>> env = load_scenario("healthy-cluster")
    >>> r = migrate(env, MigrationRequest("web01", target="esx-02"))
    >>> r.status, r.environment.vm("web01").host, env.vm("web01").host
    ('ok', 'esx-02', 'esx-01')
    """
    _check_seed(seed)
    plan = classify(env, req)
    return execute(env, req, plan, check_plan(env, req, plan), seed=seed)


def _check_seed(seed):
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral) or seed < 0:
        raise ConfigError("seed", f"must be a whole number >= 0, got {seed!r}")


def execute(env, req, plan, findings, seed=0, concurrent=1):
    """Run a classified and checked migration; return a :class:`~.result.MigrationResult`.

    Parameters
    ----------
    env : Environment
    req : MigrationRequest
    plan : MigrationPlan
        ``classify(env, req)``.
    findings : sequence of Finding
        The compatibility findings of ``plan`` (``check_plan``, or a batch entry's, which adds
        the limits on simultaneous migrations).
    seed : int
        Seed of the pre-copy simulation.
    concurrent : int
        Live migrations sharing the vMotion network with this one (an evacuation's wave).
    """
    _check_seed(seed)
    findings = tuple(findings)
    d = decide(plan, findings)
    log = EventLog(migration_id(plan.vm, plan.source_host, plan.target_host, seed))
    tl = Timeline(log, plan, env)
    tl.checks(findings, d.status != "blocked")
    base = dict(migration_type=plan.label, plan=plan, migration_id=log.mid, findings=findings,
                precopy=None, disk_copy=None, bandwidth=None, stun_ms=0.0, environment=env,
                reason="")

    def result(status, **kw):
        return MigrationResult(status=status, phases=tuple(tl.phases), total_s=tl.t,
                               log_lines=log.lines(), **{**base, **kw})

    if d.status == "blocked":
        tl.failed(d.finding.message)
        return result("blocked", reason=d.finding.message)
    if d.status == "not-run":
        f = d.finding
        tl.note(TEXT["not_run"].format(rule=f.rule_id, code=f.code, message=f.message))
        return result("not-run", reason=f.message)
    path = vmotion_path(env, plan, req, concurrent) if plan.vmotion else None
    base["bandwidth"] = path
    net_bps = (path.link.effective_bps if path is not None else
               nfc_link(env, plan.source_host, plan.target_host).effective_bps
               if plan.changes_host else None)  # cold / suspended: NFC, provisioning network
    if d.status == "run" and any(f.rule_id == "N5a" for f in findings):
        tl.note(N5A_NOTE)
    tl.prepare(req.priority)
    copy = disk_copy_for(env, plan, net_bps)
    if copy is not None and d.phase != "disk copy":
        tl.disk_copy(copy)
        base["disk_copy"] = copy
    if d.status == "failed-late":
        lf = late_failure(d.finding, d.phase, tl.t + STALL_S)  # it times out after STALL_S
        tl.stall(lf)
        return result("failed-late", reason=lf.message, failed_at=lf)
    if plan.vmotion:
        cfg = precopy_config_for(env, plan, path, seed)
        pre = simulate_precopy(cfg)
        base["precopy"] = pre
        tl.precopy(pre)
        if not pre.ok:  # the switchover would exceed maxSwitchoverSeconds: the VM stays
            f = switchover_failure(env, plan.vm, pre)
            tl.fail_precopy(pre, f.message)
            return result("failed-late", reason=f.message,
                          findings=tuple(sort_findings(list(findings) + [f])),
                          failed_at=late_failure(f, "pre-copy", tl.t))
        tl.stop_precopy(pre, cfg.policy.goal_ms)
        tl.switchover(pre)
        stun_ms, goal_ms, detail = pre.downtime_ms, cfg.policy.goal_ms, TEXT["cleanup_vmotion"]
    elif plan.live:  # Storage vMotion on the same host: Fast Suspend and Resume
        stun_ms, goal_ms = fsr_stun_ms(env.vm(plan.vm).memory_gib), FSR_GOAL_MS
        tl.fsr(stun_ms)
        detail = TEXT["cleanup_fsr"]
    else:
        tl.register()
        stun_ms, goal_ms = 0.0, None
        detail = TEXT["cleanup_copy"] if plan.changes_storage else TEXT["cleanup_register"]
    tl.cleanup(detail)
    return result("ok", stun_ms=stun_ms, goal_ms=goal_ms,
                  environment=moved_environment(env, req, plan))
