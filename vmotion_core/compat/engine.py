"""``check_migration``: run every rule family against one migration request.

The families (host, vm, network, storage, vcenter, license) each expose ``check(ctx)``; they
decide whether a rule fires and hand the names to :meth:`Ctx.add`, which builds the finding from
the catalogue (:mod:`.rules`). Which families apply follows the migration type, as the wizard's
checks do (fact sheet §2): a storage-only move skips the vMotion network; a powered-off VM gets
the powered-off severities; a suspended VM still needs a compatible CPU.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..plan import MigrationPlan, MigrationRequest, classify
from . import host, license, network, storage, vcenter, vm
from .rules import RULES

__all__ = ["check_migration", "check_plan", "Ctx", "sort_findings", "blocking"]


@dataclass
class Ctx:
    """What a family check sees (the environment, request, plan, and the findings so far)."""

    env: object
    req: MigrationRequest
    plan: MigrationPlan
    findings: list = field(default_factory=list)

    @property
    def vm(self):
        return self.env.vm(self.plan.vm)

    @property
    def src(self):
        return self.plan.source_host

    @property
    def dst(self):
        return self.plan.target_host

    @property
    def live(self):
        return self.plan.live

    @property
    def vmotion(self):
        """A running VM changing host, so the vMotion network is involved."""
        return self.plan.live and self.plan.changes_host

    def add(self, rule_id, obj, severity=None, **names):
        """Record rule ``rule_id`` for object path ``obj`` (skipped if the rule does not apply
        to a powered-off/suspended VM and no severity is forced)."""
        r = RULES[rule_id]
        sev = severity or r.severity_for(self.live)
        if sev is None:
            return None
        f = r.finding(obj, severity=sev, **{"src": self.src, "dst": self.dst, "vm": self.plan.vm,
                                            **names})
        if f not in self.findings:
            self.findings.append(f)
        return f


_ORDER = {rid: i for i, rid in enumerate(RULES)}


def sort_findings(findings):
    """Errors first, then warnings; catalogue order inside each."""
    return sorted(findings, key=lambda f: (f.severity != "error", _ORDER.get(f.rule_id, 999)))


def blocking(findings):
    """The findings that block the migration (errors)."""
    return [f for f in findings if f.severity == "error"]


def check_plan(env, req, plan):
    """Run the families for an already classified ``plan``; return sorted findings."""
    ctx = Ctx(env, req, plan)
    for family in (host, vm, network, storage, vcenter, license):
        family.check(ctx)
    return sort_findings(ctx.findings)


def check_migration(env, req):
    """Check one migration the way vCenter's compatibility check does, plus the simulator-only
    rules (``vcenter_checks=False``) that predict a failure later in the run.

    Parameters
    ----------
    env : Environment
    req : MigrationRequest

    Returns
    -------
    list of Finding
        Errors first. An empty list means "Compatibility checks succeeded."

    Examples
    --------
    >>> from vmotion_core.inventory import load_scenario
    >>> from vmotion_core.migration import MigrationRequest
    >>> env = load_scenario("healthy-cluster")
    >>> [f.code for f in check_migration(env, MigrationRequest("web01", target="esx-02"))
    ...  if f.severity == "error"]
    []
    """
    return check_plan(env, req, classify(env, req))
