"""lab06 reference plan and solution (instructor edition only)."""

import math

from ..grading.instructor import all_params


def reference_plan(params, per_wave=8):
    """Largest VMs first onto the host with more free memory; waves balanced in size."""
    vms = sorted(params["vm_list"], key=lambda v: (-v["memory_gib"], -v["dirty_mibps"]))
    free = {params["host_y"]: params["mem_y"], params["host_z"]: params["mem_z"]}
    n_waves = math.ceil(len(vms) / per_wave)
    plan = [[] for _ in range(n_waves)]
    for i, v in enumerate(vms):
        target = max(free, key=free.get)
        free[target] -= v["memory_gib"]
        plan[i % n_waves].append([v["name"], target])
    return plan


def solve(lab):
    from vmotion_labs.lab06_evacuation import evacuation_time
    p = all_params(lab)
    plan = reference_plan(p)
    seconds, _, _ = evacuation_time(lab.env, plan)
    lab.answer("plan", plan)
    lab.answer("evac_s", round(seconds * 1.1))
    for wave in plan:
        for vm, target in wave:
            assert lab.migrate(vm, target=target).ok
    lab.env = lab.env.set_host(p["host_x"], maintenance_mode=True)
    return lab
