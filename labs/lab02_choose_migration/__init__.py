"""lab02 Choose the right migration: variant parameters, goals and the start environment."""

__all__ = ["make_params", "goals", "briefing", "ROLES", "SECRET_PARAMS"]

_SITES = ("north", "south", "east", "west", "harbour", "airport", "campus", "river")
_NAMES = ("ledger", "portal", "mail", "search", "ticket", "report", "backup", "files", "build",
          "chat", "proxy", "media")
#: role of each VM in the lab -> what its goal changes (the learner reads lab.goals)
ROLES = ("vm_host", "vm_storage", "vm_both", "vm_cold", "vm_vcenter")
#: left out of ``lab.params``: the role keys name the migration type each VM needs
SECRET_PARAMS = ROLES


def make_params(draw):
    site = draw.choice("site", _SITES)
    n = draw.integer("host_number", 1, 60)
    names = draw.sample("vm_names", _NAMES, 6)
    a, b = draw.integer("net_a", 16, 250), draw.integer("net_b", 0, 250)
    p = {"site": site, "vm_vlan": draw.integer("vm_vlan", 100, 999),
         "vmotion_vlan": draw.integer("vmotion_vlan", 1000, 3999),
         "mgmt_net": f"192.168.{draw.integer('mgmt', 10, 99)}", "vmotion_net": f"10.{a}.{b}",
         "ds_shared": f"{site}-shared-01", "ds_gold": f"{site}-gold-01",
         "mem_1": draw.choice("mem_1", (4, 8, 12)), "rate_1": draw.choice("rate_1", (40, 80, 120)),
         "mem_2": draw.choice("mem_2", (8, 16)), "rate_2": draw.choice("rate_2", (60, 150))}
    for i, key in enumerate(("host_1", "host_2", "host_3")):
        p[key] = f"esx-{site}-{n + i:02d}"
    p["host_4"] = f"esx-{site}-b-{n:02d}"
    p["ds_local"] = f"{p['host_3']}-local"
    p["ds_b"] = f"{site}-b-vsan"
    for role, name in zip(ROLES + ("vm_bystander",), names):
        p[role] = f"{name}{draw.integer('num_' + role, 1, 99):02d}"
    return p


def goals(params):
    """``{vm name: (target host or None, datastore or None, goal in words)}`` for the learner."""
    p = params
    return {
        p["vm_host"]: (p["host_2"], None, f"run on {p['host_2']}; its files stay where they are"),
        p["vm_storage"]: (None, p["ds_gold"], f"keep running on {p['host_1']}; move all its "
                                              f"files to {p['ds_gold']}"),
        p["vm_both"]: (p["host_3"], p["ds_local"], f"run on {p['host_3']} with all its files "
                                                   f"on {p['ds_local']}, while it keeps running"),
        p["vm_cold"]: (p["host_3"], p["ds_local"], f"(it is switched off and must stay off) be "
                                                   f"registered on {p['host_3']} with its files "
                                                   f"on {p['ds_local']}"),
        p["vm_vcenter"]: (p["host_4"], p["ds_b"], f"run in the other vCenter, on {p['host_4']} "
                                                  f"with its files on {p['ds_b']}"),
    }


def briefing(params):
    """``{vm: goal in words}``: what ``lab.briefing()`` shows the learner, sorted by VM name
    (in role order the position of a VM would give its migration type away)."""
    return {vm: text for vm, (_, _, text) in sorted(goals(params).items())}
