"""lab04 public checks: predictions within tolerance of the simulator (made *before* the run they
predict), the sized network meets the stun goal without throttling, nothing else changed."""

import dataclasses

from ..grading import oracle
from ..grading.checks import CheckSet, fail
from . import TOLERANCES

__all__ = ["CHECKS", "truth", "big_run"]

CHECKS = CheckSet("lab04")


def truth(ctx):
    """The simulator's own run of the small VM on the *start* network (what was predicted)."""
    p = ctx.params
    return oracle.migration(ctx, p["vm"], p["host_b"], env=ctx.start_env)


def network_env(ctx):
    """The learner's network with every VM as it started (on its current host): the task sizes
    the network, so a VM made lighter (a lower write rate) neither helps nor is needed."""
    def build():
        vms = tuple(dataclasses.replace(v, host=ctx.env.vm(v.name).host)
                    for v in ctx.start_env.vms)
        return dataclasses.replace(ctx.env, vms=vms)
    return ctx.memo("network_env", build)


def big_run(ctx, seed=0):
    vm = ctx.params["vm_big"]
    return oracle.migration(ctx, vm, oracle.other_host(ctx, vm)[1], env=network_env(ctx),
                            seed=seed)


def _first_run(ctx):
    """Position of the first migration request (dry run or not) of the small VM, or None."""
    vm = ctx.params["vm"]
    return next((i for i, op in ctx.ops_of("migrate") if op.get("vm") == vm), None)


def _answer(ctx, key):
    """The prediction that counts: the last one recorded before the small VM's first run."""
    first = _first_run(ctx)
    given = [op["value"] for i, op in ctx.ops_of("answer")
             if op.get("key") == key and (first is None or i < first)]
    if not given:
        if key in ctx.answers:
            fail(f"your {key!r} was recorded after you ran the migration it predicts; only "
                 "predictions made before the run count")
        fail(f"no prediction recorded for {key!r} yet (lab.answer({key!r}, ...))")
    return given[-1]


@CHECKS.check("p1", "Predicted number of pre-copy rounds", points=2, category="item")
def rounds(ctx):
    got, real = _answer(ctx, "rounds"), truth(ctx).precopy.n_rounds
    if abs(got - real) > TOLERANCES["rounds"]:
        fail(f"your {got} rounds is off by more than {TOLERANCES['rounds']}: "
             f"{'too many' if got > real else 'too few'}")


@CHECKS.check("p2", "Predicted total migration time", points=2, category="item")
def total(ctx):
    got, real = _answer(ctx, "total_s"), truth(ctx).total_s
    if abs(got - real) > TOLERANCES["total_s"] * real:
        fail(f"your {got:g} s is more than {TOLERANCES['total_s']:.0%} "
             f"{'above' if got > real else 'below'} the simulated run")


@CHECKS.check("p3", "Predicted stun time", points=2, category="item")
def stun(ctx):
    got, real = _answer(ctx, "stun_ms"), truth(ctx).stun_ms
    allowed = max(TOLERANCES["stun_ms"] * real, TOLERANCES["stun_ms_floor"])
    if abs(got - real) > allowed:
        fail(f"your {got:g} ms is further than {allowed:.0f} ms "
             f"{'above' if got > real else 'below'} the simulated stun time")


@CHECKS.check("q1", "The database VM moves within its stun-time goal", points=4)
def big_within_goal(ctx):
    p = ctx.params
    res = big_run(ctx)
    if not res.ok:
        fail(f"{p['vm_big']} cannot move: {oracle.why_not(res)}"
             f"{'; ' + res.reason if res.reason and not res.findings else ''}")
    if res.stun_ms > p["goal_ms"]:
        fail(f"{p['vm_big']} moved, but its stun time was {res.stun_ms:.0f} ms, above its goal")


@CHECKS.check("q2", "No Stun During Page Send throttling of the database VM", points=2,
              category="item")
def no_throttle(ctx):
    res = big_run(ctx)
    if res.precopy is None:
        fail("the database VM has not been migrated live in the check yet")
    slowed = [r.index for r in res.precopy.rounds if r.throttle > 0]
    if slowed:
        fail(f"the guest was slowed down in {len(slowed)} round(s): pages are dirtied faster "
             "than the vMotion network sends them")


@CHECKS.check("q3", "Management and the VMs are unchanged", after=("q1",))
def nothing_else_broke(ctx):
    oracle.require_management_unchanged(ctx)
    for v in ctx.start_env.vms:
        now = ctx.env.vm(v.name)
        if (now.nics, now.max_switchover_s, now.power_state) != (v.nics, v.max_switchover_s,
                                                                 v.power_state):
            fail(f"{v.name} itself was changed; size the network, not the VM")
