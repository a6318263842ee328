"""What lab checks ask the simulator (not public): the core modules are the oracle.

Checks never re-implement a vSphere rule: they ask :func:`vmotion_core.compat.check_migration`,
:func:`vmotion_core.migration.migrate` or :func:`vmotion_core.migration.classify` and turn the
answer into a hint. Hints name what vCenter reports (the fault code and the object), which is
what a learner would see in the wizard; they never repeat the rule's ``fix`` text.
"""

from .checks import fail

__all__ = ["request", "migration", "findings", "errors", "describe_errors", "why_not", "blocked_by",
           "unchanged", "vmk_with_service", "other_host", "require_move", "require_round_trip",
           "require_management_unchanged"]


def request(vm, target=None, datastore=None, **kw):
    from vmotion_core.migration import MigrationRequest
    return MigrationRequest(vm=vm, target=target, datastore=datastore, **kw)


def migration(ctx, vm, target=None, datastore=None, env=None, seed=0, **kw):
    """Run ``migrate`` once per grading run (memoised on the context) and return the result.

    When the simulator cannot even place the VM on its destination (an inventory rule the
    compatibility check does not cover), the check fails saying so, in the course's words."""
    from vmotion_core.errors import ConfigError
    from vmotion_core.migration import migrate
    env = ctx.env if env is None else env
    key = ("migrate", id(env), vm, target, datastore, seed, tuple(sorted(kw.items())))
    try:
        return ctx.memo(key, lambda: migrate(env, request(vm, target, datastore, **kw),
                                             seed=seed))
    except ConfigError as exc:
        if "[" not in exc.field:
            raise
        fail(f"{vm} cannot be placed on {target or 'its destination'}: {exc.reason}")


def findings(ctx, vm, target=None, datastore=None, env=None, **kw):
    """``check_migration`` findings, memoised on the context."""
    from vmotion_core.compat import check_migration
    env = ctx.env if env is None else env
    key = ("check", id(env), vm, target, datastore, tuple(sorted(kw.items())))
    return ctx.memo(key, lambda: tuple(check_migration(env, request(vm, target, datastore, **kw))))


def errors(found):
    return [f for f in found if f.severity == "error"]


def describe_errors(found, limit=2):
    """``"VMotionNotConfigured at vc/dc/cl/esx-02; ..."``: codes and objects, no fixes."""
    errs = errors(found)
    text = "; ".join(f"{f.code} at {f.object}" for f in errs[:limit])
    more = len(errs) - limit
    return text + (f" (and {more} more)" if more > 0 else "")


def blocked_by(found, *codes):
    """The error findings whose code or rule id is one of ``codes``."""
    return [f for f in errors(found) if f.code in codes or f.rule_id in codes]


def unchanged(start_obj, obj, fields):
    """Names of ``fields`` that differ between two versions of one inventory object."""
    return [f for f in fields if getattr(start_obj, f) != getattr(obj, f)]


def vmk_with_service(env, host, service):
    """The host's enabled vmknics offering ``service`` (as configured, whatever works)."""
    return [v for v in env.host(host).vmknics if service in v.services and v.enabled]


def other_host(ctx, vm, env=None):
    """``(here, there)``: the lab host ``vm`` is on in ``env`` (default: the learner's) and the
    other of the two hosts ``host_a`` / ``host_b`` (learners may already have moved it)."""
    p, env = ctx.params, env or ctx.env
    here = env.vm(vm).host
    return here, (p["host_b"] if here == p["host_a"] else p["host_a"])


def why_not(res):
    """What vCenter shows for a failed ``migrate`` result, by its ``status``: the pre-check's
    errors (``blocked``), where a started task failed (``failed-late``, the simulator's finding
    in brackets), or that the simulator does not run it (``not-run``)."""
    if res.status == "not-run":
        return f"the simulator does not run this move: {res.reason}"
    if res.status != "failed-late":
        return f"vCenter reports {describe_errors(res.findings)}"
    lf = res.failed_at
    at = f" at {lf.percent}%" if lf.percent is not None else ""
    return (f"vCenter reports the task failed{at} during the {lf.stage_label}: {lf.message} "
            f"({lf.code} at {lf.finding.object})")


def require_move(ctx, vm):
    """Fail unless ``vm`` migrates to the other lab host without errors; return the result."""
    here, there = other_host(ctx, vm)
    res = migration(ctx, vm, there)
    if not res.ok:
        fail(f"{vm} still cannot move from {here} to {there}: {why_not(res)}")
    return res


def require_round_trip(ctx, vm):
    """Fail unless ``vm`` moves to the other lab host and, from there, back without errors."""
    here = ctx.env.vm(vm).host
    back = migration(ctx, vm, here, env=require_move(ctx, vm).environment)
    if not back.ok:
        fail(f"after the move, {vm} cannot return to {here}: {why_not(back)}")


def require_management_unchanged(ctx):
    """Fail if the management adapter ``vmk0`` of ``host_a`` or ``host_b`` was changed."""
    p = ctx.params
    for host in (p["host_a"], p["host_b"]):
        if ctx.env.host(host).vmknic("vmk0") != ctx.start_env.host(host).vmknic("vmk0"):
            fail(f"{host}/vmk0 (management) was changed")


def require_root_cause(ctx, what_broke="this site"):
    """Fail unless the ``root_cause`` answer names the variant's fault (``params["fault"]``)."""
    got = ctx.answers.get("root_cause")
    if got is None:
        fail("no root cause recorded (lab.answer('root_cause', id))")
    if str(got).strip().upper() != ctx.params["fault"]:
        fail(f"the root cause you named does not match what broke {what_broke}")
