"""lab02 hidden checks (instructor edition only)."""

from ..grading.checks import fail
from . import ROLES
from .checks import CHECKS, power_changes


@CHECKS.check("h1", "Running VMs stayed running during their moves", hidden=True,
              after_any=("q1", "q2", "q3", "q5"))
def stayed_running(ctx):
    for role in ROLES:
        vm = ctx.params[role]
        if ctx.start_env.vm(vm).power_state != "powered-on":
            continue
        if power_changes(ctx, vm, ("power_off", "suspend")):
            fail(f"{vm} was switched off or suspended on the way: its move had to be live")
