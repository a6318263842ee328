"""lab07 hidden checks (instructor edition only)."""

from ..grading import oracle
from ..grading.checks import fail
from . import ROLES
from .checks import CHECKS, power_changes


@CHECKS.check("a1", "Root cause of the network fault identified", hidden=True)
def diagnosis(ctx):
    oracle.require_root_cause(ctx, "this site's vMotion network")


@CHECKS.check("h1", "Running VMs stayed running during their moves", hidden=True,
              after_any=("q1", "q2", "q3"))
def stayed_running(ctx):
    for role in ROLES:
        vm = ctx.params[role]
        if power_changes(ctx, vm, ("power_off", "suspend")):
            fail(f"{vm} was switched off or suspended on the way: its move had to be live")
