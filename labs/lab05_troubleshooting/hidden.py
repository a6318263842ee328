"""lab05 hidden checks (instructor edition only)."""

from ..grading import oracle
from .checks import CHECKS


@CHECKS.check("h1", "The VM can also move back", points=2, hidden=True,
              category="the VM can also move back")
def move_back(ctx):
    oracle.require_round_trip(ctx, ctx.params["vm"])


@CHECKS.check("a1", "Root cause identified", points=2, hidden=True,
              category="the root cause you named")
def diagnosis(ctx):
    oracle.require_root_cause(ctx)
