"""lab07 Capstone: empty a host for maintenance (network, prerequisites, migration choice,
sizing and troubleshooting on one site).

The site is lab05's healthy two-host site with three VMs to move. Every variant breaks the
vMotion network with one fault from the troubleshooting catalogue (lab05's, reused so each rule
and fix lives in one place); the variants draw only faults that are fixed on the destination
host alone (one or two settings), so they are of equal difficulty, and each one shows a
different symptom (``tests/labs/test_lab07_capstone.py`` checks both).
"""

from pathlib import Path

from ..grading.envio import build_from_template
from ..grading.variants import two_host_site
from ..lab05_troubleshooting.faults import CATALOGUE, inject

__all__ = ["make_params", "build_start", "briefing", "goals", "SECRET_PARAMS", "FAULT_IDS",
           "MENU_IDS", "ROLES"]

_SITES = ("aarhus", "tartu", "malmo", "ulm", "pisa", "nimes", "tromso", "kosice")
#: faults a variant may draw: each is fixed on the destination host alone (one or two settings)
FAULT_IDS = ("T1", "T3", "T4")
#: the root-cause menu the learner chooses from (the network rows of the catalogue)
MENU_IDS = ("T1", "T2", "T3", "T4")
#: the VMs to move, by role
ROLES = ("vm", "vm_local", "vm_db")
#: left out of ``lab.params``: the fault is what the learner has to diagnose
SECRET_PARAMS = ("fault",)

# Learner-facing wording (one place, for the German edition).
TEXT = {
    "ticket": "Tonight {host_a} goes into maintenance: {vms} must run on {host_b} first, "
              "without a restart. Since yesterday's network change, vMotion between the two "
              "hosts fails.",
    "goal_vm": "run on {host_b}; its files stay where they are",
    "goal_local": "run on {host_b} with all its files on {shared}, while it keeps running",
    "goal_db": "run on {host_b}, moved with a stun time of at most {goal_ms} ms and without "
               "Stun During Page Send slowing it down",
}


def make_params(draw):
    n = draw.integer("vm_number", 1, 99)
    p = {
        **two_host_site(draw, _SITES),
        "vmotion_net": f"10.{draw.integer('net_a', 16, 120)}.{draw.integer('net_b', 0, 250)}",
        "other_net": f"{draw.integer('other_a', 121, 250)}.{draw.integer('other_b', 0, 250)}",
        "stack_net": draw.integer("stack_net", 16, 31),
        "vm_net": draw.choice("vm_net", ("VM-Prod", "App-Net", "Web-Front")),
        "vm": f"app{n:02d}",
        "vm_local": f"rep{draw.integer('local_number', 1, 99):02d}",
        "vm_db": f"db{draw.integer('db_number', 1, 99):02d}",
        "vm_memory_gib": draw.choice("vm_memory_gib", (4, 8)),
        "vm_dirty_mibps": draw.choice("vm_dirty_mibps", (50, 100)),
        "local_memory_gib": draw.choice("local_memory_gib", (4, 8)),
        "db_memory_gib": draw.choice("db_memory_gib", (32, 48)),
        "db_dirty_mibps": draw.choice("db_dirty_mibps", (600, 800)),
        "goal_ms": draw.choice("goal_ms", (300, 350)),
        "fault": draw.choice("fault", FAULT_IDS),
    }
    p["shared"] = f"ds-{p['site']}-shared"
    return p


def goals(params):
    """``{vm: (target host, datastore or None, goal in words)}``."""
    p = params
    return {p["vm"]: (p["host_b"], None, TEXT["goal_vm"].format(**p)),
            p["vm_local"]: (p["host_b"], p["shared"], TEXT["goal_local"].format(**p)),
            p["vm_db"]: (p["host_b"], None, TEXT["goal_db"].format(**p))}


def briefing(params):
    """The ticket, each VM's goal (sorted by name) and the root-cause menu."""
    p = params
    vms = ", ".join(sorted(p[r] for r in ROLES))
    return {"ticket": TEXT["ticket"].format(vms=vms, **p),
            "goals": {vm: text for vm, (_, _, text) in sorted(goals(p).items())},
            "root causes": {k: CATALOGUE[k][0] for k in MENU_IDS}}


def build_start(params):
    return inject(build_from_template(Path(__file__).parent, params), params)
