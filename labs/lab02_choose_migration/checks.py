"""lab02 public checks: each VM reached its goal, the migration types are named, others untouched,
and the switched-off VM stayed off while it moved (the operation log shows how, not only where)."""

from ..grading import oracle
from ..grading.checks import CheckSet, fail
from . import ROLES, goals

__all__ = ["CHECKS", "expected_type", "power_changes"]

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


@CHECKS.check("q6", "Every other VM was left alone",
              after_any=tuple(f"q{i}" for i in range(1, len(ROLES) + 1)))
def others_untouched(ctx):
    movers = {ctx.params[r] for r in ROLES}
    for v in ctx.start_env.vms:
        if v.name not in movers and ctx.env.vm(v.name) != v:
            fail(f"{v.name} has no goal in this lab, but it was changed")


def power_changes(ctx, vm, verbs):
    """Positions of the operations in ``verbs`` (power_on, power_off, suspend) on ``vm``."""
    return [i for i, op in ctx.ops_of(*verbs) if (op.get("args") or [None])[0] == vm]


@CHECKS.check("q7", "The switched-off VM was never powered on during its move",
              category="item", after=("q4",))
def stayed_cold(ctx):
    vm = ctx.params["vm_cold"]
    if power_changes(ctx, vm, ("power_on",)):
        fail(f"{vm} was powered on along the way: its goal asks for a move while it stays "
             "switched off, not a live one")
