"""lab04 hidden checks (instructor edition only)."""

from ..grading.checks import fail
from .checks import CHECKS, big_run


@CHECKS.check("h1", "The stun goal also holds on other runs", hidden=True)
def repeated(ctx):
    for seed in (1, 2):
        res = big_run(ctx, seed=seed)
        if not res.ok or res.stun_ms > ctx.params["goal_ms"]:
            fail("on a repeated run the database VM missed its stun goal: the network has "
                 "too little headroom")
