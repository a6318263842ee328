"""lab03 hidden checks (instructor edition only)."""

from ..grading import oracle
from ..grading.checks import fail
from . import ROLES
from .checks import CHECKS, other_host


@CHECKS.check("h1", "Each fixed VM can also move back", points=2, hidden=True,
              category="the VMs can also move back")
def move_back(ctx):
    for role in ROLES:
        vm = ctx.params[role]
        here, there = other_host(ctx, vm)
        res = oracle.migration(ctx, vm, there)
        if not res.ok:
            fail(f"{vm} cannot move yet, so it cannot move back either")
        back = oracle.migration(ctx, vm, here, env=res.environment)
        if not back.ok:
            fail(f"{vm} cannot return to {here}: vCenter reports "
                 f"{oracle.describe_errors(back.findings)}")
