"""Run a migration on the simulated environment: checks, timeline, pre-copy, new environment.

``migrate(env, request, seed=0)`` does what vCenter does with a Relocate task:

1. classify the request (:func:`classify`) and run the compatibility checks
   (:func:`vmotion_core.compat.check_migration`); an error vCenter's own pre-check reports
   (``vcenter_checks=True``) stops here and the VM stays where it is;
2. run the timeline: preparation, disk copy for storage moves (mirror driver,
   :mod:`vmotion_core.storage`), memory pre-copy on the engine (:func:`simulate_precopy`, with the
   VM's workload profile and the vMotion network from :func:`vmotion_bandwidth`), switchover
   (stun), resume, RARP, cleanup;
3. return a :class:`MigrationResult` with the phases, the pre-copy result, the stun time, the log
   lines and a new environment with the VM moved. A run that fails (e.g. the switchover would
   exceed ``vmotion.maxSwitchoverSeconds``) leaves the environment unchanged, as vSphere keeps
   the VM running on the source.

Errors only the simulator sees (``vcenter_checks=False``) do not stop the task at the check, as
vCenter would pass them: the log says "Compatibility checks succeeded.", the task starts, and it
fails where the rule catalogue says (``Rule.fails_at``/``fails_at_percent``/``runtime_message``,
e.g. N1 "Failed waiting for data. Error 16" at about 10%, KB 1003734). The result's
``failed_at`` (:class:`LateFailure`) tells where. A simulator-only error without such a stage
(N11, RTT above 150 ms: the fact sheet documents it as unsupported, not how it ends) is not run;
a ``simulator note`` log line says so.

A compatibility *warning* does not stop the task (fact sheet §2). One warning is known to end
badly in the product: N5a, vMotion vmknics with different MTUs or TCP/IP stacks (KB 432825:
the migration may go through, and often fails or crawls). The simulator fails it only when a
hop cannot carry the larger frames (N5b, KB 417889) and otherwise runs it at full speed; a
``simulator note`` says so.
"""

from __future__ import annotations

import numbers
from dataclasses import asdict, dataclass

from ._eventlog import EventLog, migration_id
from ._plan import (CROSS_VCENTER_PATHS, MIGRATION_TYPES, MigrationPlan, MigrationRequest,
                    classify)
from ._timeline import Phase, Timeline
from .compat.engine import blocking, check_plan, sort_findings
from .compat.netpath import (encrypted_vmotion_used, nfc_link, provisioning_vmknics,
                             vmotion_bandwidth, vmotion_vmknics)
from .compat.network import vm_nic_mac
from .compat.rules import LATE_STAGES, RULES
from .errors import ConfigError
from .precopy import Policy, PrecopyConfig, Workload, simulate_precopy
from .storage import disk_copy_for, fsr_stun_ms

#: What the simulator says when it runs a move with the N5a warning (kept here for translation).
N5A_NOTE = ("N5a: the vMotion vmknics disagree in MTU or TCP/IP stack. vCenter warns and "
            "lets the task start; in vSphere such a move may go through, crawl or time out (KB 432825). The "
            "simulator fails it only when a hop cannot carry the larger frames (N5b), and "
            "otherwise runs it at full speed.")

__all__ = ["MigrationRequest", "MigrationPlan", "MigrationResult", "LateFailure", "Phase",
           "classify", "migrate", "precopy_config_for", "MIGRATION_TYPES", "CROSS_VCENTER_PATHS"]


@dataclass(frozen=True)
class LateFailure:
    """Where a migration that passed vCenter's pre-check stopped.

    Attributes
    ----------
    rule_id, code : str
        The catalogue rule that explains it and its fault name.
    stage : str
        Key of :data:`vmotion_core.compat.rules.LATE_STAGES` (``vmotion-transfer``,
        ``nfc-copy``, ``switchover``); ``stage_label`` says it in words.
    phase : str
        The timeline phase the task was in (``pre-copy``, ``disk copy``).
    percent : int or None
        Task progress at the failure as the fact sheet gives it (None: no figure published).
    t_s : float
        Seconds since the task started when it failed.
    message, source : str
        The error the task reports and its KB/document.
    finding : Finding
    """

    rule_id: str
    code: str
    stage: str
    stage_label: str
    phase: str
    percent: int | None
    t_s: float
    message: str
    source: str
    finding: object

    def to_dict(self):
        d = asdict(self)
        d["finding"] = self.finding.to_dict()
        return d

    def __str__(self):
        at = f" at {self.percent}%" if self.percent is not None else ""
        return (f"failed{at} during the {self.stage_label} ({self.phase}, after {self.t_s:.1f} s): "
                f"{self.message} [{self.source}] -- {self.rule_id} {self.code}, which vCenter's "
                "pre-check does not report")


def _late_failure(rule_id, finding, phase, t_s):
    r = RULES[rule_id]
    return LateFailure(rule_id=rule_id, code=r.code, stage=r.fails_at,
                       stage_label=LATE_STAGES[r.fails_at], phase=phase,
                       percent=r.fails_at_percent, t_s=float(t_s),
                       message=r.runtime_message or finding.message,
                       source=r.runtime_source or r.source, finding=finding)


@dataclass(frozen=True)
class MigrationResult:
    """What :func:`migrate` returns.

    Attributes
    ----------
    ok : bool
        True when the VM now runs (or is registered) at the target.
    migration_type : str
        The plan's label (``compute-only``, ``storage-only``, ``compute+storage``, ``cold``,
        ``suspended``, ``cross-vcenter``, ``long-distance``).
    plan : MigrationPlan
    findings : tuple of Finding
        Compatibility findings, plus a run-time failure (LM4) if the switchover failed.
    phases : tuple of Phase
    precopy : PrecopyResult or None
        The memory pre-copy (live moves to another host only).
    disk_copy : DiskCopyResult or None
    bandwidth : VMotionPath or None
        The vMotion network used for pre-copy (and shared-nothing disk copies).
    stun_ms : float
        Time the guest was stunned (0 for a cold move or a failed run).
    total_s : float
    log_lines : tuple of str
    environment : Environment
        The environment after the run (VM moved), or the unchanged one on failure.
    reason : str
        Why it failed ("" when ok).
    migration_id : int
    failed_at : LateFailure or None
        Set when the task passed vCenter's pre-check and failed later (simulator-only rule, or
        the switchover limit); None when it succeeded or was blocked before it started.
    """

    ok: bool
    migration_type: str
    plan: MigrationPlan
    findings: tuple
    phases: tuple
    precopy: object
    disk_copy: object
    bandwidth: object
    stun_ms: float
    total_s: float
    log_lines: tuple
    environment: object
    reason: str
    migration_id: int
    failed_at: LateFailure | None = None

    @property
    def started(self):
        """True when vCenter's pre-check let the task start (it may still have failed)."""
        return self.ok or self.failed_at is not None

    def to_dict(self):
        """JSON-safe summary (the environment is given as the VM's new location)."""
        v = self.environment.vm(self.plan.vm)
        return {
            "ok": self.ok, "migration_type": self.migration_type, "reason": self.reason,
            "migration_id": self.migration_id, "plan": self.plan.to_dict(),
            "findings": [f.to_dict() for f in self.findings],
            "phases": [p.to_dict() for p in self.phases],
            "precopy": None if self.precopy is None else _precopy_summary(self.precopy),
            "disk_copy": None if self.disk_copy is None else self.disk_copy.to_dict(),
            "bandwidth": None if self.bandwidth is None else self.bandwidth.to_dict(),
            "stun_ms": float(self.stun_ms), "total_s": float(self.total_s),
            "log_lines": list(self.log_lines), "started": self.started,
            "failed_at": None if self.failed_at is None else self.failed_at.to_dict(),
            "vm_location": {"host": v.host, "config_datastore": v.config_datastore,
                            "disks": {d.name: d.datastore for d in v.disks}},
        }

    def __str__(self):
        head = (f"{self.plan.vm}: {self.migration_type} {self.plan.source_host} -> "
                f"{self.plan.target_host}: " + ("OK" if self.ok else f"FAILED ({self.reason})"))
        if self.failed_at is not None:
            head += (f"\n  passed vCenter's compatibility check, then {self.failed_at}; "
                     f"the VM stays on {self.plan.source_host}")
        rows = [f"  {p.start_s:9.3f} s  {p.duration_s:9.3f} s  {p.name}" for p in self.phases]
        return "\n".join([head] + rows + [f"  stun {self.stun_ms:.0f} ms, total {self.total_s:.1f} s"])


def _precopy_summary(res):
    d = res.to_dict()
    d.pop("heatmap", None)
    return d


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


def _vmotion_path(env, plan, req, concurrent=1):
    """The vMotion network of a live move to another host, encrypted as the VM and ``req`` say,
    shared by ``concurrent`` migrations."""
    enc = encrypted_vmotion_used(env, plan.vm, plan.source_host, plan.target_host,
                                 req.encrypted_vmotion)
    return vmotion_bandwidth(env, plan.source_host, plan.target_host, concurrent=concurrent,
                             encrypted=enc)


def _switchover_failure(env, vm, res):
    """The LM4 finding of a pre-copy ``res`` that could not switch over within the VM's limit."""
    return RULES["LM4"].finding(env.path("vm", vm),
                                limit_s=f"{res.config.policy.max_switchover_s:g}",
                                detail=res.stop_reason)


def _nic_notes(env, plan):
    out = []
    for nic, _src, target in plan.nic_map:
        found = env.port_group(plan.target_host, target)
        out.append((vm_nic_mac(plan.vm, nic), target, bool(found and found[1].notify_switches)))
    return out


def _moved_env(env, req, plan):
    v = env.vm(plan.vm)
    kwargs = {}
    if plan.resource_pool is not None:
        kwargs["resource_pool"] = plan.resource_pool
    elif v.resource_pool and env.host(plan.target_host).cluster != env.host(v.host).cluster:
        kwargs["resource_pool"] = None  # the old pool stays behind in the old cluster
    if plan.vapp is not None:
        kwargs["vapp"] = plan.vapp
    elif v.vapp and env.host(plan.target_host).cluster != env.host(v.host).cluster:
        kwargs["vapp"] = None
    return env.relocate_vm(plan.vm, host=plan.target_host if plan.changes_host else None,
                           datastore=req.datastore, disk_datastores=dict(req.disk_datastores) or None,
                           network_map=dict(req.network_map) or None,
                           reason=f"{plan.label} migration", **kwargs)


def _copy_stage(plan):
    """Which network a disk copy of ``plan`` uses: NFC for cold/suspended and long-distance
    moves (fact sheet §1.4, §1.8), the vMotion network for other live moves."""
    return "nfc-copy" if not plan.live or plan.long_distance else "vmotion-transfer"


def _first_stop(plan, copy, late):
    """The late-failure finding the run meets first and the phase it stops in, or None."""
    candidates = []
    for i, f in enumerate(late):
        stage = RULES[f.rule_id].fails_at
        if copy is not None and stage == _copy_stage(plan):
            candidates.append((0, i, f, "disk copy"))
        elif stage == "nfc-copy":
            candidates.append((0, i, f, "disk copy"))
        else:
            candidates.append((1, i, f, "pre-copy"))
    if not candidates:
        return None
    _, _, f, phase = min(candidates)
    return f, phase


def _stall(env, tl, plan, finding, phase):
    """Run the stall on the timeline; return the :class:`LateFailure`."""
    r = RULES[finding.rule_id]
    nfc = r.fails_at == "nfc-copy"
    vmks = (provisioning_vmknics if nfc else vmotion_vmknics)(env, plan.target_host)
    text = r.runtime_message or finding.message
    tl.stall(phase, LATE_STAGES[r.fails_at], r.fails_at_percent, r.rule_id, text,
             r.runtime_source or r.source, tl.host_ip(plan.target_host, vmks))
    return _late_failure(r.rule_id, finding, phase, tl.t)


def migrate(env, req, seed=0):
    """Migrate ``req.vm`` as ``req`` asks; return a :class:`MigrationResult`.

    Parameters
    ----------
    env : Environment
    req : MigrationRequest
    seed : int
        Seed of the pre-copy simulation (same seed, same result and log).

    Examples
    --------
    >>> from vmotion_core.inventory import load_scenario
    >>> env = load_scenario("healthy-cluster")
    >>> r = migrate(env, MigrationRequest("web01", target="esx-02"))
    >>> r.ok, r.environment.vm("web01").host, env.vm("web01").host
    (True, 'esx-02', 'esx-01')
    """
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral) or seed < 0:
        raise ConfigError("seed", f"must be a whole number >= 0, got {seed!r}")
    plan = classify(env, req)
    findings = check_plan(env, req, plan)
    log = EventLog(migration_id(plan.vm, plan.source_host, plan.target_host, seed))
    tl = Timeline(log, plan, env)
    errors = [f for f in blocking(findings) if f.vcenter_checks]
    late = [f for f in blocking(findings) if f not in errors]
    unmodelled = [f for f in late if not RULES[f.rule_id].late_failure]
    tl.checks(findings, not errors)
    base = dict(migration_type=plan.label, plan=plan, migration_id=log.mid)

    def failed(reason, all_findings=findings, precopy=None, disk_copy=None, bandwidth=None,
               failed_at=None):
        return MigrationResult(ok=False, findings=tuple(all_findings), phases=tuple(tl.phases),
                               precopy=precopy, disk_copy=disk_copy, bandwidth=bandwidth,
                               stun_ms=0.0, total_s=tl.t, log_lines=log.lines(), environment=env,
                               reason=reason, failed_at=failed_at, **base)

    if errors:
        log.vpxd(tl.t, plan.source_vcenter, f"Task Relocate virtual machine '{plan.vm}' failed: "
                                            f"{errors[0].message}")
        return failed(errors[0].message)
    if unmodelled:
        f = unmodelled[0]
        log.note(tl.t, f"not run: {f.rule_id} {f.code} is outside what vSphere supports and the "
                       "simulator does not model how such a run ends (vCenter's pre-check would "
                       f"not stop it): {f.message}")
        return failed(f.message)
    path = None
    net_bps = None
    if plan.changes_host and plan.live:
        path = _vmotion_path(env, plan, req)
        net_bps = path.link.effective_bps
    elif plan.changes_host:  # cold / suspended: NFC over the provisioning network
        net_bps = nfc_link(env, plan.source_host, plan.target_host).effective_bps
    if not late and any(f.rule_id == "N5a" for f in findings):
        log.note(tl.t, N5A_NOTE)
    tl.prepare(req.priority, vmotion_vmknics(env, plan.source_host),
               vmotion_vmknics(env, plan.target_host))
    copy = disk_copy_for(env, plan, net_bps)
    stop = _first_stop(plan, copy, late)  # (finding, phase) of a late failure, or None
    if copy is not None and not (stop and stop[1] == "disk copy"):
        tl.disk_copy(copy)
    if stop is not None:
        lf = _stall(env, tl, plan, *stop)
        return failed(lf.message, failed_at=lf, bandwidth=path,
                      disk_copy=None if stop[1] == "disk copy" else copy)
    precopy, stun_ms = None, 0.0
    if plan.live and plan.changes_host:
        cfg = precopy_config_for(env, plan, path, seed)
        precopy = simulate_precopy(cfg)
        if not tl.precopy(precopy, cfg.policy.goal_ms):
            f = _switchover_failure(env, plan.vm, precopy)
            tl.fail_precopy(precopy, f.message)
            return failed(f.message, all_findings=sort_findings(list(findings) + [f]),
                          precopy=precopy, disk_copy=copy, bandwidth=path,
                          failed_at=_late_failure("LM4", f, "pre-copy", tl.t))
        stun_ms = precopy.downtime_ms
        tl.switchover(precopy, _nic_notes(env, plan))
        detail = "source VM instance removed, its memory freed"
    elif plan.live:  # Storage vMotion on the same host: FSR
        stun_ms = fsr_stun_ms(env.vm(plan.vm).memory_gib)
        tl.fsr(stun_ms)
        detail = "source files deleted"
    else:
        tl.register()
        detail = "source copy deleted" if plan.changes_storage else "unregistered from the source"
    tl.cleanup(detail)
    return MigrationResult(ok=True, findings=tuple(findings), phases=tuple(tl.phases),
                           precopy=precopy, disk_copy=copy, bandwidth=path, stun_ms=stun_ms,
                           total_s=tl.t, log_lines=log.lines(),
                           environment=_moved_env(env, req, plan), reason="", **base)
