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

    Follows the wave model of :mod:`vmotion_core.compat.limits`: a wave starts when the one
    before it has finished, and the vMotions of one wave share the vMotion network equally.
    Each VM's time comes from the pre-copy engine (:func:`vmotion_core.precopy.simulate_precopy`
    with the link of :func:`vmotion_core.compat.vmotion_bandwidth` at that concurrency); a wave
    lasts as long as its slowest VM. Returns ``(seconds, env_after, problems)``.

    >>> evacuation_time(None, [])[0]
    0.0
    """
    from vmotion_core.compat import check_batch, vmotion_bandwidth
    from vmotion_core.migration import MigrationRequest, migrate, precopy_config_for
    from vmotion_core.precopy import simulate_precopy
    total, problems = 0.0, []
    for w, wave in enumerate(plan):
        reqs = [MigrationRequest(vm, target=target) for vm, target in wave]
        batch = check_batch(env, reqs)
        slowest = 0.0
        for entry in batch.entries:
            if not entry.ok:
                problems.append(f"wave {w + 1}: {entry.plan.vm} is blocked "
                                f"({entry.findings[0].code})")
                continue
            if entry.queued:
                problems.append(f"wave {w + 1}: {entry.plan.vm} would be queued "
                                f"({next(f.code for f in entry.findings if f.rule_id.startswith('LM'))})")
            p = entry.plan
            path = vmotion_bandwidth(env, p.source_host, p.target_host, concurrent=len(reqs))
            slowest = max(slowest, simulate_precopy(precopy_config_for(env, p, path, seed))
                          .total_time_s)
        total += slowest
        for req in reqs:
            res = migrate(env, req, seed=seed)
            if res.ok:
                env = res.environment
            elif not any(req.vm in pr for pr in problems):
                problems.append(f"wave {w + 1}: {req.vm} could not move ({res.reason[:80]})")
    return total, env, problems
