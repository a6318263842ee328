"""lab03 public checks: each VM can vMotion live again; nothing else broke."""

from ..grading import oracle
from ..grading.checks import CheckSet, fail
from . import ROLES

__all__ = ["CHECKS"]

CHECKS = CheckSet("lab03")


def _movable(ctx, role):
    vm = ctx.params[role]
    v = ctx.env.vm(vm)
    if v.power_state != "powered-on":
        fail(f"{vm} is {v.power_state}; it has to be running (a live move is the goal)")
    oracle.require_move(ctx, vm)


for _i, _role in enumerate(ROLES, start=1):
    CHECKS.check(f"q{_i}", f"VM #{_i} is running and can vMotion to the other host", points=2)(
        lambda ctx, role=_role: _movable(ctx, role))


@CHECKS.check("q6", "Every VM keeps its network; the other VMs are untouched", points=2,
              after_any=tuple(f"q{i}" for i in range(1, len(ROLES) + 1)))
def nothing_else_broke(ctx):
    p = ctx.params
    for v in ctx.env.vms:
        for nic in v.nics:
            if not nic.connected:
                fail(f"{v.name}/{nic.name} is disconnected: the VM would lose its network")
        if not all(ctx.env.port_group(v.host, n.network) for n in v.nics):
            fail(f"{v.name} is on a network its host does not have")
    if ctx.env.vm(p["vm_bystander"]) != ctx.start_env.vm(p["vm_bystander"]):
        fail(f"{p['vm_bystander']} has nothing to do with this task, but it was changed")
    for v in ctx.start_env.vms:
        if [n.network for n in ctx.env.vm(v.name).nics] != [n.network for n in v.nics]:
            fail(f"{v.name} was moved to another network; its users expect the old one")
