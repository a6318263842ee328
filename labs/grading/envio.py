"""Environments in and out of lab-state files, scenario templates, and the forgery invariants.

Not public. The only place in ``vmotion_labs`` that knows how an Environment is stored: as the
scenario YAML text of :func:`vmotion_core.inventory.dump_scenario`, loaded back (and validated)
by :func:`vmotion_core.inventory.load_scenario`.
"""

import string
from pathlib import Path

__all__ = ["env_to_text", "env_from_text", "changes", "inconsistencies", "build_from_template"]


def env_to_text(env):
    from vmotion_core.inventory import dump_scenario
    return dump_scenario(env)


def env_from_text(text, label="submission"):
    """Load and validate a scenario from YAML text (``label`` names it in errors)."""
    from vmotion_core.inventory import load_scenario_text
    return load_scenario_text(text, label)


def changes(env):
    return tuple(env.changes)


def build_from_template(folder, params, name="scenario.yaml"):
    """Fill ``${placeholders}`` of a lab's scenario template with ``params``; load the result."""
    template = string.Template((Path(folder) / name).read_text(encoding="utf-8"))
    return env_from_text(template.substitute({k: v for k, v in params.items()
                                              if isinstance(v, (str, int, float))}))


def _vm_key(vm):
    return (vm.memory_gib, vm.vcpus, vm.workload.kind, vm.workload.dirty_rate_mibps)


def inconsistencies(start, env):
    """What in ``env`` cannot have come from working on ``start`` (hosts, VMs and their sizes,
    vCenters and datacenters are fixed by the variant; no lab lets a learner change them)."""
    problems = []
    for what in ("vcenters", "datacenters", "hosts", "vms"):
        a = {o.name for o in getattr(start, what)}
        b = {o.name for o in getattr(env, what)}
        if a != b:
            extra, missing = sorted(b - a), sorted(a - b)
            problems.append(f"{what} differ (unexpected: {extra[:3]}, missing: {missing[:3]})")
    if problems:
        return problems
    for h in start.hosts:
        other = env.host(h.name)
        if (h.cpu_vendor, h.cpu_generation) != (other.cpu_vendor, other.cpu_generation):
            problems.append(f"host {h.name}: CPU differs from the variant")
    for v in start.vms:
        if _vm_key(v) != _vm_key(env.vm(v.name)):
            problems.append(f"VM {v.name}: size or workload differs from the variant")
    return problems
