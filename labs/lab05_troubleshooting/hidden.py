"""lab05 hidden checks (instructor edition only)."""

from ..grading import oracle
from ..grading.checks import fail
from .checks import CHECKS


@CHECKS.check("h1", "The VM can also move back", points=2, hidden=True,
              category="the VM can also move back")
def move_back(ctx):
    oracle.require_round_trip(ctx, ctx.params["vm"])


@CHECKS.check("a1", "Root cause identified", points=2, hidden=True,
              category="the root cause you named")
def diagnosis(ctx):
    got = ctx.answers.get("root_cause")
    if got is None:
        fail("no root cause recorded (lab.answer('root_cause', id))")
    if str(got).strip().upper() != ctx.params["fault"]:
        fail("the root cause you named does not match what broke this site")
