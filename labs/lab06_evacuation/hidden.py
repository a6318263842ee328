"""lab06 hidden checks (instructor edition only)."""

from ..grading.checks import fail
from . import evacuation_time
from .checks import CHECKS, plan_run
from .solution import reference_plan


@CHECKS.check("h1", "Evacuation time within 25% of the reference plan", hidden=True,
              after=("q3", "q4"))
def close_to_reference(ctx):
    mine = plan_run(ctx)[0]
    ref = ctx.memo("ref", lambda: evacuation_time(ctx.start_env, reference_plan(ctx.params))[0])
    if mine > 1.25 * ref:
        fail("a plan exists that evacuates the host noticeably faster")
