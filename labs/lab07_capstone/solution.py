"""lab07 reference solution (instructor edition only)."""

from ..grading.instructor import all_params
from ..lab05_troubleshooting.solution import FIXES
from . import goals

TYPES = {"vm": "compute-only", "vm_local": "compute+storage", "vm_db": "compute-only"}
#: vMotion uplink speed that moves every variant's database VM within its goal
UPLINK_MBPS = 50000


def solve(lab):
    p = all_params(lab)
    lab.answer("root_cause", p["fault"])
    lab.answer("types", {p[role]: t for role, t in TYPES.items()})
    env = FIXES[p["fault"]](lab.env, p)
    for host in (p["host_a"], p["host_b"]):
        env = env.set_uplink(host, "vmnic1", speed_mbps=UPLINK_MBPS)
    lab.env = env.disconnect_device(p["vm"], "CD/DVD drive 1")
    for vm, (host, ds, _) in goals(p).items():
        res = lab.migrate(vm, target=host, datastore=ds)
        assert res.ok, res.reason
    return lab
