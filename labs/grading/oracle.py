"""What lab checks ask the simulator (not public): the core modules are the oracle.

Checks never re-implement a vSphere rule: they ask :func:`vmotion_core.compat.check_migration`,
:func:`vmotion_core.migration.migrate` or :func:`vmotion_core.migration.classify` and turn the
answer into a hint. Hints name what vCenter reports (the fault code and the object), which is
what a learner would see in the wizard; they never repeat the rule's ``fix`` text.
"""

__all__ = ["request", "migration", "findings", "errors", "describe_errors", "blocked_by",
           "unchanged", "vmk_with_service"]


def request(vm, target=None, datastore=None, **kw):
    from vmotion_core.migration import MigrationRequest
    return MigrationRequest(vm=vm, target=target, datastore=datastore, **kw)


def migration(ctx, vm, target=None, datastore=None, env=None, seed=0, **kw):
    """Run ``migrate`` once per grading run (memoised on the context) and return the result."""
    from vmotion_core.migration import migrate
    env = ctx.env if env is None else env
    key = ("migrate", id(env), vm, target, datastore, seed, tuple(sorted(kw.items())))
    return ctx.memo(key, lambda: migrate(env, request(vm, target, datastore, **kw), seed=seed))


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
