"""What a migration run returns: :class:`MigrationResult` with its explicit ``status``, and the
:class:`LateFailure` of a task that started and then failed.

``status`` is decided once, by :func:`vmotion_core.migration.execute`, and read by everything
that shows a result (CLI, widgets, labs, figures): nobody re-derives it from findings.

============  ===============================================================================
status        meaning
============  ===============================================================================
ok            the VM now runs (or is registered) at the target
blocked       vCenter's own pre-check reports an error: the task never starts
not-run       only the simulator sees an error (vCenter would start the task) and it does not
              model how such a run ends: it is not run (a ``simulator note`` says so)
failed-late   vCenter's pre-check passed, the task started and failed later (``failed_at``)
============  ===============================================================================

A run that succeeds with a stun above the switchover goal (500 ms for vMotion, KB 436882; under
1 s for Fast Suspend and Resume, fact sheet §4.2 [S61]) is still ``ok``: vSphere fails a
switchover only beyond ``maxSwitchoverSeconds`` (100 s, KB 2141355). Its summary says plainly
that the goal was missed and what users of the VM would notice (:attr:`MigrationResult.stun_note`,
worded in :mod:`vmotion_core.precopy.stun`).

Every sentence a learner reads here is in :data:`TEXT` (one place, for translation).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from ..compat.rules import LATE_STAGES, RULES
from ..plan import MigrationPlan
from ..precopy.stun import stun_note
from ..units import format_duration

__all__ = ["MigrationResult", "LateFailure", "STATUSES", "TEXT", "late_failure", "Outcome"]

#: The outcomes of a run (see the module docstring).
STATUSES = ("ok", "blocked", "not-run", "failed-late")

#: Learner-visible sentences of this module.
TEXT = {
    "head": "{vm}: {kind} {src} -> {dst}: {outcome}",
    "outcome": {"ok": "OK", "blocked": "BLOCKED ({reason})", "not-run": "NOT RUN ({reason})",
                "failed-late": "STARTED, THEN FAILED ({reason})"},
    "ok_slow": "OK, BUT THE SWITCHOVER GOAL WAS MISSED (stun {stun})",
    "late": "passed vCenter's compatibility check, then {failure}; the VM stays on {src}",
    "label": "failed{at} ({stage})",
    "brief": "{label}: {message} [{source}]",
    "where": {True: "the VM keeps running on {src}", False: "the VM stays registered on {src}"},
    "late_failure": "failed{at} during the {stage} ({phase}, after {t:.1f} s): {message} "
                    "[{source}] -- {rule} {code}, which vCenter's pre-check does not report",
    "footer": "  stun {stun_ms:.0f} ms, total {total_s:.1f} s",
}
#: Where the switchover goal of a Storage vMotion (Fast Suspend and Resume) comes from.
FSR_GOAL_SOURCE = "VMware's goal for Fast Suspend and Resume, fact sheet §4.2 [S61]"
FSR_LIMIT_SOURCE = "fsr.maxSwitchoverSeconds, KB 1010045"
FSR_LIMIT_S = 100.0  # fsr.maxSwitchoverSeconds default (fact sheet §3 [S42b])


@dataclass(frozen=True)
class LateFailure:
    """Where a migration that passed vCenter's pre-check stopped.

    Attributes
    ----------
    rule_id : str
        The catalogue rule that explains it.
    code : str
        Its fault name.
    stage : str
        Key of :data:`vmotion_core.compat.rules.LATE_STAGES` (``vmotion-transfer``,
        ``nfc-copy``, ``switchover``).
    stage_label : str
        The stage in words.
    phase : str
        The timeline phase the task was in (``pre-copy``, ``disk copy``).
    percent : int or None
        Task progress at the failure as the fact sheet gives it (None: no figure published).
    t_s : float
        Seconds since the task started when it failed.
    message : str
        The error the task reports.
    source : str
        Its KB article or document.
    finding : Finding
        The compatibility finding (or LM4 run-time finding) behind it.
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
        """JSON-safe dict (the finding as its own dict)."""
        return {**asdict(self), "finding": self.finding.to_dict()}

    @property
    def label(self):
        """Short label, e.g. ``failed at 10 % (vMotion data transfer)``."""
        at = f" at {self.percent} %" if self.percent is not None else ""
        return TEXT["label"].format(at=at, stage=self.stage_label)

    @property
    def brief(self):
        """The label with the error and its source, as the task reports it."""
        return TEXT["brief"].format(label=self.label, message=self.message, source=self.source)

    def __str__(self):
        at = f" at {self.percent}%" if self.percent is not None else ""
        return TEXT["late_failure"].format(at=at, stage=self.stage_label, phase=self.phase,
                                           t=self.t_s, message=self.message, source=self.source,
                                           rule=self.rule_id, code=self.code)


def late_failure(finding, phase, t_s):
    """The :class:`LateFailure` of catalogue ``finding`` stopping the task in ``phase`` at
    ``t_s``: stage, percent and run-time message come from its rule (``RULES[rule_id]``)."""
    r = RULES[finding.rule_id]
    return LateFailure(rule_id=r.rule_id, code=r.code, stage=r.fails_at,
                       stage_label=LATE_STAGES[r.fails_at], phase=phase,
                       percent=r.fails_at_percent, t_s=float(t_s),
                       message=r.runtime_message or finding.message,
                       source=r.runtime_source or r.source, finding=finding)


class Outcome:
    """``ok`` and ``started`` read from a ``status`` of :data:`STATUSES`: what the statuses mean,
    in one place for a migration and an evacuation's move."""

    @property
    def ok(self):
        """True when the VM now runs (or is registered) at the target."""
        return self.status == "ok"

    @property
    def started(self):
        """True when vCenter's pre-check let the task start (it may still have failed)."""
        return self.status in ("ok", "failed-late")


@dataclass(frozen=True)
class MigrationResult(Outcome):
    """What :func:`~vmotion_core.migration.migrate` returns.

    Attributes
    ----------
    status : str
        One of :data:`STATUSES`: ``ok``, ``blocked``, ``not-run``, ``failed-late``.
    migration_type : str
        The plan's label (``compute-only``, ``storage-only``, ``compute+storage``, ``cold``,
        ``suspended``, ``cross-vcenter``, ``long-distance``).
    plan : MigrationPlan
        The classified request.
    findings : tuple of Finding
        Compatibility findings, plus a run-time failure (LM4) if the switchover failed.
    phases : tuple of Phase
        The timeline, phase by phase.
    precopy : PrecopyResult or None
        The memory pre-copy (live moves to another host only).
    disk_copy : DiskCopyResult or None
        The disk copy of a storage move.
    bandwidth : VMotionPath or None
        The vMotion network used for pre-copy (and shared-nothing disk copies).
    stun_ms : float
        Time the guest was stunned (0 for a cold move or a failed run).
    total_s : float
        Seconds from the start of the task to its end (or failure).
    log_lines : tuple of str
        The vmkernel.log, vmware.log and vpxd.log lines of the run, in time order.
    environment : Environment
        The environment after the run (VM moved), or the unchanged one when it did not move.
    reason : str
        Why it did not move ("" when ok).
    migration_id : int
        The ID all log lines of the run share (KB 436882).
    failed_at : LateFailure or None
        Set when the status is ``failed-late``: where the task stopped.
    goal_ms : float or None
        The switchover goal the stun is measured against (None: the VM was not stunned).
    """

    status: str
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
    goal_ms: float | None = None

    def __post_init__(self):
        if self.status not in STATUSES:
            raise ValueError(f"status: {self.status!r} is not one of {', '.join(STATUSES)}")

    @property
    def where_now(self):
        """Where the VM is when it did not move, e.g. ``the VM keeps running on esx-01``."""
        return TEXT["where"][self.plan.live].format(src=self.plan.source_host)

    @property
    def stun_over_goal(self):
        """True when the VM moved but its stun missed the switchover goal (:attr:`stun_note`)."""
        return bool(self.stun_note)

    @property
    def stun_note(self):
        """What missing the switchover goal means for the VM's users ("" when it was met)."""
        if not self.ok or self.goal_ms is None:
            return ""
        if self.precopy is not None:  # vMotion: the pre-copy knows whether it met the goal
            return self.precopy.stun_note
        return stun_note(self.stun_ms, self.goal_ms, FSR_LIMIT_S, FSR_GOAL_SOURCE,
                         FSR_LIMIT_SOURCE)

    @property
    def summary(self):
        """The outcome in one or two sentences (the head line of ``str(result)``)."""
        p = self.plan
        out = TEXT["outcome"][self.status].format(reason=self.reason)
        if self.stun_note:
            out = TEXT["ok_slow"].format(stun=format_duration(self.stun_ms / 1000))
        lines = [TEXT["head"].format(vm=p.vm, kind=self.migration_type, src=p.source_host,
                                     dst=p.target_host, outcome=out)]
        if self.failed_at is not None:
            lines.append("  " + TEXT["late"].format(failure=self.failed_at, src=p.source_host))
        if self.stun_note:
            lines.append("  " + self.stun_note)
        return "\n".join(lines)

    def to_dict(self):
        """JSON-safe summary (the environment is given as the VM's new location)."""
        v = self.environment.vm(self.plan.vm)
        return {
            "ok": self.ok, "status": self.status, "migration_type": self.migration_type,
            "reason": self.reason, "migration_id": self.migration_id,
            "plan": self.plan.to_dict(),
            "findings": [f.to_dict() for f in self.findings],
            "phases": [p.to_dict() for p in self.phases],
            "precopy": None if self.precopy is None else _precopy_summary(self.precopy),
            "disk_copy": None if self.disk_copy is None else self.disk_copy.to_dict(),
            "bandwidth": None if self.bandwidth is None else self.bandwidth.to_dict(),
            "stun_ms": float(self.stun_ms), "total_s": float(self.total_s),
            "goal_ms": self.goal_ms, "stun_over_goal": self.stun_over_goal,
            "stun_note": self.stun_note,
            "log_lines": list(self.log_lines), "started": self.started,
            "failed_at": None if self.failed_at is None else self.failed_at.to_dict(),
            "vm_location": {"host": v.host, "config_datastore": v.config_datastore,
                            "disks": {d.name: d.datastore for d in v.disks}},
        }

    def __str__(self):
        rows = [f"  {p.start_s:9.3f} s  {p.duration_s:9.3f} s  {p.name}" for p in self.phases]
        return "\n".join([self.summary] + rows + [TEXT["footer"].format(
            stun_ms=self.stun_ms, total_s=self.total_s)])


def _precopy_summary(res):
    d = res.to_dict()
    d.pop("heatmap", None)
    return d
