"""lab02 public checks: each VM reached its goal, the migration types are named, others untouched,
and every move went through migrate()."""

import re

from ..grading import oracle
from ..grading.checks import CheckSet, fail
from . import ROLES, goals

__all__ = ["CHECKS", "expected_type", "moved_without_migrate"]

CHECKS = CheckSet("lab02")


def expected_type(ctx, vm):
    """The type of the goal move, as the simulator classifies it on the start environment."""
    from vmotion_core.migration import classify
    host, ds, _ = goals(ctx.params)[vm]
    return ctx.memo(("type", vm), lambda: classify(ctx.start_env, oracle.request(vm, host, ds)).label)


def _reached(ctx, role):
    vm = ctx.params[role]
    host, ds, _ = goals(ctx.params)[vm]
    now, before = ctx.env.vm(vm), ctx.start_env.vm(vm)
    want_host = host or before.host
    if now.host != want_host:
        fail(f"{vm} is registered on {now.host}, which is not where its goal puts it")
    want = {d for _, d in ctx.start_env.vm_files(vm)} if ds is None else {ds}
    misplaced = [what for what, d in ctx.env.vm_files(vm) if d not in want]
    if misplaced:
        fail(f"{vm}: {', '.join(misplaced)} not on the datastore(s) its goal names")
    if now.power_state != before.power_state:
        fail(f"{vm} is {now.power_state} now; its goal says it must stay {before.power_state}")


def _named(ctx, role):
    vm = ctx.params[role]
    types = ctx.answers.get("types")
    if not isinstance(types, dict) or vm not in types:
        fail(f"no migration type recorded for {vm} yet (lab.answer('types', {{...}}))")
    if str(types[vm]).strip().lower() != expected_type(ctx, vm):
        fail(f"the type you named for {vm} does not match what its move involves "
             "(host? storage? power state? vCenter? site?)")


for _i, _role in enumerate(ROLES, start=1):
    CHECKS.check(f"q{_i}", f"VM #{_i} reached its goal", points=2)(
        lambda ctx, role=_role: _reached(ctx, role))
for _i, _role in enumerate(ROLES, start=1):
    CHECKS.check(f"a{_i}", f"VM #{_i}: migration type named correctly", category="item")(
        lambda ctx, role=_role: _named(ctx, role))


@CHECKS.check("q6", "Every other VM was left alone")
def others_untouched(ctx):
    movers = {ctx.params[r] for r in ROLES}
    for v in ctx.start_env.vms:
        if v.name not in movers and ctx.env.vm(v.name) != v:
            fail(f"{v.name} has no goal in this lab, but it was changed")


# relocate_vm() records "<vm>: <reason> (<where>)"; migrate() passes "<type> migration" as reason
_RELOCATED = re.compile(r"^(?P<vm>[^:]+): (?P<reason>.+?) \((?:host |datastore |same place)")


def moved_without_migrate(ctx):
    """VMs the change log shows relocated by something other than migrate()."""
    from vmotion_core.migration import MIGRATION_TYPES
    by_migrate = {f"{t} migration" for t in MIGRATION_TYPES}
    out = []
    for line in ctx.env.changes:
        m = _RELOCATED.match(line)
        if m and m["reason"] not in by_migrate and m["vm"] not in out:
            out.append(m["vm"])
    return out


@CHECKS.check("q7", "Every move went through the simulated vCenter (lab.migrate)", category="item")
def via_migrate(ctx):
    bad = moved_without_migrate(ctx)
    if bad:
        fail(f"{', '.join(bad)} changed place without a migration: relocating a VM directly skips "
             "vCenter's checks and the move itself; lab.reset() and use lab.migrate(...)")
