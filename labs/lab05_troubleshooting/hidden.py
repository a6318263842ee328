"""lab05 hidden checks (instructor edition only)."""

from ..grading import oracle
from ..grading.checks import fail
from .checks import CHECKS, other_host


@CHECKS.check("h1", "The VM can also move back", points=2, hidden=True,
              category="the VM can also move back")
def move_back(ctx):
    p = ctx.params
    here, there = other_host(ctx)
    res = oracle.migration(ctx, p["vm"], there)
    if not res.ok:
        fail("the VM cannot move yet, so it cannot move back either")
    back = oracle.migration(ctx, p["vm"], here, env=res.environment)
    if not back.ok:
        fail(f"{p['vm']} cannot return to {here}: vCenter reports "
             f"{oracle.describe_errors(back.findings)}")
