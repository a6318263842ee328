"""lab06 public checks: the host is empty and in maintenance mode, the plan is complete, within
the concurrency limits, as short as the limits allow, and its time was predicted."""

import math

from ..grading.checks import CheckSet, fail
from . import evacuation_time

__all__ = ["CHECKS", "plan_of", "plan_run"]

CHECKS = CheckSet("lab06")


def plan_of(ctx):
    plan = ctx.answers.get("plan")
    if not plan:
        fail("no plan recorded yet (lab.answer('plan', [[[vm, target], ...], ...]))")
    ok = all(isinstance(w, list) and w and all(isinstance(m, list) and len(m) == 2 and
                                               all(isinstance(x, str) for x in m) for m in w)
             for w in plan)
    if not ok:
        fail("the plan is not a list of waves, each a non-empty list of [vm, target host] pairs")
    return plan


def plan_run(ctx):
    """(seconds, env after, problems) of the learner's plan on the start environment."""
    plan = plan_of(ctx)
    return ctx.memo("plan_run", lambda: evacuation_time(ctx.start_env, plan))


@CHECKS.check("q1", "The host is empty and in maintenance mode", points=3)
def evacuated(ctx):
    x = ctx.params["host_x"]
    left = [v.name for v in ctx.env.vms_on(x)]
    if left:
        fail(f"{len(left)} VM(s) still registered on {x}")
    if not ctx.env.host(x).maintenance_mode:
        fail(f"{x} is empty but not in maintenance mode yet")


@CHECKS.check("q2", "Every VM is still running, on one of the two target hosts", points=2)
def still_running(ctx):
    p = ctx.params
    names = {v["name"] for v in p["vm_list"]}
    for _, op in ctx.ops_of("power_off", "suspend"):
        if (op.get("args") or [None])[0] in names:
            fail(f"{op['args'][0]} was switched off or suspended on the way; an evacuation keeps "
                 "VMs running (vMotion moves them live)")
    for v in p["vm_list"]:
        now = ctx.env.vm(v["name"])
        if now.power_state != "powered-on":
            fail(f"{v['name']} is {now.power_state}; an evacuation keeps VMs running")
        if now.host not in (p["host_y"], p["host_z"]):
            fail(f"{v['name']} is not on one of the two target hosts")


@CHECKS.check("q3", "The plan moves every VM exactly once, to a target host", points=2,
              category="item")
def complete(ctx):
    p = ctx.params
    moved = [m[0] for w in plan_of(ctx) for m in w]
    want = sorted(v["name"] for v in p["vm_list"])
    if sorted(moved) != want:
        missing = sorted(set(want) - set(moved))
        fail(f"the plan does not move each VM exactly once ({len(missing)} missing, "
             f"{len(moved) - len(set(moved))} repeated)")
    if any(m[1] not in (p["host_y"], p["host_z"]) for w in plan_of(ctx) for m in w):
        fail("the plan sends a VM somewhere other than the two target hosts")


@CHECKS.check("q4", "Every wave runs without queuing or blocked migrations", points=2,
              category="item")
def within_limits(ctx):
    complete(ctx)
    _, _, problems = plan_run(ctx)
    if problems:
        fail(f"{problems[0]}" + (f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""))


@CHECKS.check("q5", "The plan uses no more waves than the limits require", points=2,
              category="item", after=("q3", "q4"))
def fewest_waves(ctx):
    from vmotion_core.compat.limits import HOST_MAX, network_max
    x = ctx.params["host_x"]
    per_wave = min(HOST_MAX, network_max(ctx.start_env, x))
    needed = math.ceil(len(ctx.params["vm_list"]) / per_wave)
    if len(plan_of(ctx)) > needed:
        fail(f"your plan has {len(plan_of(ctx))} waves; the limits on simultaneous vMotions "
             "allow fewer")


def _first_move(ctx):
    """Position of the first migration that moved a VM (dry runs do not count), or None."""
    return next((i for i, op in ctx.ops_of("migrate") if op.get("apply", True)), None)


@CHECKS.check("q6", "Predicted evacuation time within 25% of your plan's", points=2,
              category="item", after=("q3",))
def predicted(ctx):
    first = _first_move(ctx)
    given = [op["value"] for i, op in ctx.ops_of("answer")
             if op.get("key") == "evac_s" and (first is None or i < first)]
    if not given:
        if "evac_s" in ctx.answers:
            fail("your prediction was recorded after the evacuation had started; only a "
                 "prediction made before carrying out the plan counts")
        fail("no prediction recorded yet (lab.answer('evac_s', seconds))")
    real = plan_run(ctx)[0]
    got = given[-1]
    if abs(got - real) > 0.25 * real:
        fail(f"your {got:g} s is more than 25% {'above' if got > real else 'below'} the "
             "simulated time of your plan")


@CHECKS.check("q7", "What you did is what you planned", category="item", after=("q3",))
def followed(ctx):
    _, after, _ = plan_run(ctx)
    for v in ctx.params["vm_list"]:
        if ctx.env.vm(v["name"]).host != after.vm(v["name"]).host:
            fail(f"{v['name']} ended up on another host than your plan sends it to")
