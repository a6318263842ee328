"""lab06 Plan a host evacuation: variant parameters, the start environment, evacuation time."""

from pathlib import Path

from ..grading.envio import build_from_template

__all__ = ["make_params", "build_start", "briefing", "evacuation_time"]

_SITES = ("nord", "sued", "ost", "west", "mitte", "hafen", "berg", "tal")


def make_params(draw):
    site = draw.choice("site", _SITES)
    n = draw.integer("host_number", 1, 60)
    count = draw.integer("vm_count", 10, 13)
    vms = [{"name": f"vm-{site}-{i + 1:02d}",
            "memory_gib": draw.choice(f"mem_{i}", (4, 8, 12, 16)),
            "dirty_mibps": draw.choice(f"rate_{i}", (20, 50, 100, 200))} for i in range(count)]
    total = sum(v["memory_gib"] for v in vms)
    return {"site": site, "host_x": f"esx-{site}-{n:02d}", "host_y": f"esx-{site}-{n + 1:02d}",
            "host_z": f"esx-{site}-{n + 2:02d}", "mgmt": draw.integer("mgmt", 10, 99),
            "vm_vlan": draw.integer("vm_vlan", 100, 199),
            "vmotion_vlan": draw.integer("vmotion_vlan", 200, 3999),
            # neither host can take everything: the plan has to split the VMs
            "mem_y": int(total * 0.7), "mem_z": int(total * 0.7), "vm_list": vms}


def _vms_yaml(params):
    out = []
    for v in params["vm_list"]:
        out.append(f"""  - name: {v['name']}
    host: {params['host_x']}
    config_datastore: ds-{params['site']}-shared
    memory_gib: {v['memory_gib']}
    disks:
      - {{name: Hard disk 1, datastore: ds-{params['site']}-shared, size_gib: 40}}
    nics:
      - {{name: Network adapter 1, network: VM Network}}
    workload: {{kind: uniform, dirty_rate_mibps: {v['dirty_mibps']}}}
""")
    return "".join(out)


def briefing(params):
    p = params
    return {"evacuate": p["host_x"], "targets": [p["host_y"], p["host_z"]],
            "VMs": {v["name"]: f"{v['memory_gib']} GiB, ~{v['dirty_mibps']} MiB/s"
                    for v in p["vm_list"]},
            "plan format": "[[[vm, target host], ...] per wave, ...]; a wave starts when the "
                           "previous one has finished",
            "tolerance": "evac_s within 25% of the simulated time of your plan"}


def build_start(params):
    return build_from_template(Path(__file__).parent, {**params, "vms": _vms_yaml(params)})


def evacuation_time(env, plan, seed=0):
    """Simulated time of ``plan`` (waves of ``(vm, target)``) and the environment after it.

    The wave model lives in the core: :func:`vmotion_core.migration.simulate_evacuation` (each
    wave checked with ``check_batch``, the vMotions of a wave sharing the vMotion network, each
    VM's time from the pre-copy engine, a wave as long as its slowest VM). Returns
    ``(seconds, env_after, problems)``.

    >>> evacuation_time(None, [])[0]
    0.0
    """
    from vmotion_core.migration import simulate_evacuation

    from ..grading.oplog import plain_env
    ev = simulate_evacuation(env if env is None else plain_env(env), plan, seed=seed)
    return ev.total_s, ev.environment, list(ev.problems)
