"""lab05 hidden checks (instructor edition only)."""

from ..grading import oracle
from .checks import CHECKS


@CHECKS.check("h1", "The VM can also move back", hidden=True)
def move_back(ctx):
    oracle.require_round_trip(ctx, ctx.params["vm"])


@CHECKS.check("a1", "Root cause identified", hidden=True)
def diagnosis(ctx):
    oracle.require_root_cause(ctx)
