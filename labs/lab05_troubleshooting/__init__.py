"""lab05 Troubleshooting challenge: a per-learner fault from the troubleshooting catalogue."""

from pathlib import Path

from ..grading.envio import build_from_template
from ..grading.variants import two_host_site
from .faults import CATALOGUE, FAULT_IDS, inject

__all__ = ["make_params", "build_start", "briefing", "SECRET_PARAMS"]

_SITES = ("lyon", "porto", "graz", "gent", "brno", "cork", "split", "bilbao")
_VMS = ("pay", "api", "etl", "bi", "sso", "log")
#: left out of ``lab.params``: the fault is what the learner has to diagnose
SECRET_PARAMS = ("fault",)


def make_params(draw):
    return {
        **two_host_site(draw, _SITES),
        "vmotion_net": f"10.{draw.integer('net_a', 16, 120)}.{draw.integer('net_b', 0, 250)}",
        "other_net": f"{draw.integer('other_a', 121, 250)}.{draw.integer('other_b', 0, 250)}",
        "stack_net": draw.integer("stack_net", 16, 31),
        "vm_net": draw.choice("vm_net", ("VM-Prod", "App-Net", "Web-Front")),
        "vm": f"{draw.choice('vm_role', _VMS)}{draw.integer('vm_number', 1, 99):02d}",
        "vm_memory_gib": draw.choice("vm_memory_gib", (4, 8, 16)),
        "vm_dirty_mibps": draw.choice("vm_dirty_mibps", (50, 100, 200)),
        "fault": draw.choice("fault", FAULT_IDS),
    }


def briefing(params):
    """The ticket and the menu of root causes (ids from the troubleshooting catalogue)."""
    return {"ticket": f"Since last night, {params['vm']} can no longer be vMotioned from "
                      f"{params['host_a']} to {params['host_b']}.",
            "root causes": {k: v[0] for k, v in CATALOGUE.items()}}


def build_start(params):
    return inject(build_from_template(Path(__file__).parent, params), params)
