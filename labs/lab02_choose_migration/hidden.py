"""lab02 hidden checks (instructor edition only)."""

from ..grading.checks import fail
from . import ROLES
from .checks import CHECKS


@CHECKS.check("h1", "Running VMs stayed running during their moves", points=2, hidden=True,
              category="running VMs stayed running during their moves")
def stayed_running(ctx):
    for role in ROLES:
        vm = ctx.params[role]
        if ctx.start_env.vm(vm).power_state != "powered-on":
            continue
        for line in ctx.env.changes:
            if line.startswith(f"{vm}") and ("powered-off" in line or "suspended" in line):
                fail(f"{vm} was switched off or suspended on the way ({line})")
