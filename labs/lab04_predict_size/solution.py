"""lab04 reference solution (instructor edition only)."""

from ..grading.instructor import all_params
from ..grading.oplog import plain_env


def solve(lab):
    from vmotion_core.migration import MigrationRequest, migrate
    p = all_params(lab)
    # an instructor may peek, outside the lab: a dry run would come before the predictions
    run = migrate(plain_env(lab.start_env), MigrationRequest(p["vm"], p["host_b"]))
    lab.answer("rounds", run.precopy.n_rounds)
    lab.answer("total_s", round(run.total_s * 1.1, 1))             # within tolerance, not exact
    lab.answer("stun_ms", round(run.stun_ms * 0.9))
    env = lab.env
    for host in (p["host_a"], p["host_b"]):
        env = env.set_uplink(host, "vmnic1", speed_mbps=50000)
    lab.env = env
    return lab
