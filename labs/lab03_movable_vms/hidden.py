"""lab03 hidden checks (instructor edition only)."""

from ..grading import oracle
from . import ROLES
from .checks import CHECKS


@CHECKS.check("h1", "Each fixed VM can also move back", hidden=True)
def move_back(ctx):
    for role in ROLES:
        oracle.require_round_trip(ctx, ctx.params[role])
