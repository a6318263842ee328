"""lab07 public checks: each VM reached its goal, the vMotion network is sized for the database
VM, the migration types are named, management and the VMs themselves untouched.

The diagnosis (``root_cause``) and "running VMs stayed running" are checked only at grading
(``hidden.py``), as in lab05 and lab02.
"""

import dataclasses

from ..grading import oracle
from ..grading.checks import CheckSet, fail
from . import goals

__all__ = ["CHECKS", "MSG", "expected_type", "db_run", "power_changes"]

CHECKS = CheckSet("lab07")

# Learner-facing wording (one place, for the German edition).
MSG = {
    "host": "{vm} is registered on {host}, which is not where its goal puts it",
    "files": "{vm}: {what} not on the datastore its goal names",
    "power": "{vm} is {now} now; its goal says it must stay {then}",
    "db_blocked": "on your vMotion network {vm} cannot move from its start host: {why}",
    "db_stun": "on your vMotion network {vm} would be stunned for {stun:.0f} ms, above its goal "
               "of {goal} ms",
    "db_throttled": "on your vMotion network the guest of {vm} was slowed down in {n} round(s): "
                    "its pages are dirtied faster than the network sends them",
    "no_types": "no migration type recorded for {vm} yet (lab.answer('types', {{...}}))",
    "wrong_type": "the type you named for {vm} does not match what its move involves "
                  "(host? storage? power state? vCenter? site?)",
    "vm_changed": "{vm} itself was changed ({what}); the task is to move the VMs, not to change "
                  "them (disconnecting a device is fine)",
}


def expected_type(ctx, vm):
    """The type of the goal move, as the simulator classifies it on the start environment."""
    from vmotion_core.migration import classify
    host, ds, _ = goals(ctx.params)[vm]
    return ctx.memo(("type", vm),
                    lambda: classify(ctx.start_env, oracle.request(vm, host, ds)).label)


def _reached(ctx, role):
    vm = ctx.params[role]
    host, ds, _ = goals(ctx.params)[vm]
    now, before = ctx.env.vm(vm), ctx.start_env.vm(vm)
    if now.host != host:
        fail(MSG["host"].format(vm=vm, host=now.host))
    want = {d for _, d in ctx.start_env.vm_files(vm)} if ds is None else {ds}
    misplaced = [what for what, d in ctx.env.vm_files(vm) if d not in want]
    if misplaced:
        fail(MSG["files"].format(vm=vm, what=", ".join(misplaced)))
    if now.power_state != before.power_state:
        fail(MSG["power"].format(vm=vm, now=now.power_state, then=before.power_state))


CHECKS.check("q1", "The application VM runs on the second host", points=3)(
    lambda ctx: _reached(ctx, "vm"))
CHECKS.check("q2", "The VM on host-local storage runs on the second host, files on shared "
                   "storage", points=3)(lambda ctx: _reached(ctx, "vm_local"))
CHECKS.check("q3", "The database VM runs on the second host", points=2)(
    lambda ctx: _reached(ctx, "vm_db"))


def network_env(ctx):
    """The learner's hosts and network with every VM as it started: the sizing is graded on the
    network, so a lighter VM neither helps nor is needed (as in lab04)."""
    return ctx.memo("network_env", lambda: dataclasses.replace(ctx.env, vms=ctx.start_env.vms))


def db_run(ctx, seed=0):
    """The database VM's move from its start host to its goal host on the learner's network."""
    p = ctx.params
    return oracle.migration(ctx, p["vm_db"], p["host_b"], env=network_env(ctx), seed=seed)


@CHECKS.check("q4", "The vMotion network moves the database VM within its stun goal, without "
                    "throttling", points=4)
def sized(ctx):
    p = ctx.params
    res = db_run(ctx)
    if not res.ok:
        fail(MSG["db_blocked"].format(vm=p["vm_db"], why=oracle.why_not(res)))
    if res.stun_ms > p["goal_ms"]:
        fail(MSG["db_stun"].format(vm=p["vm_db"], stun=res.stun_ms, goal=p["goal_ms"]))
    slowed = [r.index for r in res.precopy.rounds if r.throttle > 0]
    if slowed:
        fail(MSG["db_throttled"].format(vm=p["vm_db"], n=len(slowed)))


@CHECKS.check("a2", "Migration type named correctly for every VM", points=2, category="item")
def named(ctx):
    types = ctx.answers.get("types")
    for role in ("vm", "vm_local", "vm_db"):
        vm = ctx.params[role]
        if not isinstance(types, dict) or vm not in types:
            fail(MSG["no_types"].format(vm=vm))
        if str(types[vm]).strip().lower() != expected_type(ctx, vm):
            fail(MSG["wrong_type"].format(vm=vm))


@CHECKS.check("q5", "Management and the VMs themselves are unchanged",
              after_any=("q1", "q2", "q3"))
def nothing_else_broke(ctx):
    oracle.require_management_unchanged(ctx)
    for v in ctx.start_env.vms:
        now = ctx.env.vm(v.name)
        diff = oracle.unchanged(v, now, ("nics", "workload", "memory_gib", "vcpus",
                                         "max_switchover_s", "cpu_affinity"))
        if [d.name for d in v.devices] != [d.name for d in now.devices]:
            diff.append("devices")
        if diff:
            fail(MSG["vm_changed"].format(vm=v.name, what=", ".join(diff)))


def power_changes(ctx, vm, verbs):
    """Positions of the operations in ``verbs`` (power_on, power_off, suspend) on ``vm``."""
    return [i for i, op in ctx.ops_of(*verbs) if (op.get("args") or [None])[0] == vm]
