"""lab03 Make the VMs movable: variant parameters and the start environment."""

__all__ = ["make_params", "briefing", "ROLES", "SECRET_PARAMS"]

_SITES = ("oslo", "bergen", "turku", "tartu", "riga", "gdansk", "malmo", "aarhus")
_NAMES = ("billing", "hr", "crm", "shop", "stock", "print", "vpn", "dns", "ldap", "cache", "queue")
#: the five VMs with a blocker, in check order (q1..q5)
ROLES = ("vm_iso", "vm_affinity", "vm_passthrough", "vm_network", "vm_cpu")
#: left out of ``lab.params``: the role keys say which VM has which blocker, the others are
#: details of the blockers (the learner finds both with a dry run)
SECRET_PARAMS = ROLES + ("iso", "core_1", "core_2", "pci_bus", "prod_net_b")


def make_params(draw):
    site = draw.choice("site", _SITES)
    n = draw.integer("host_number", 1, 60)
    names = draw.sample("vm_names", _NAMES, 6)
    prod = draw.choice("prod_net", ("VM-Prod", "Prod-Servers", "App-LAN", "DMZ-Web"))
    p = {"site": site, "host_a": f"esx-{site}-{n:02d}", "host_b": f"esx-{site}-{n + 1:02d}",
         "mgmt": draw.integer("mgmt", 10, 99), "vm_vlan": draw.integer("vm_vlan", 100, 199),
         "prod_net": prod, "prod_net_b": prod.replace("-", " "),
         "prod_vlan": draw.integer("prod_vlan", 200, 999),
         "iso": draw.choice("iso", ("rhel-9.4-x86_64.iso", "win2022-eval.iso", "vmtools-12.iso")),
         "core_1": draw.integer("core", 0, 14) * 2}
    p["core_2"] = p["core_1"] + 1
    p["pci_bus"] = f"{draw.integer('pci_bus', 16, 250):02x}"
    for role, name in zip(ROLES + ("vm_bystander",), names):
        p[role] = f"{name}{draw.integer('num_' + role, 1, 99):02d}"
    return p


def briefing(params):
    return {"move from": params["host_a"], "move to": params["host_b"],
            "VMs to make movable": sorted(params[r] for r in ROLES),  # role order would tell
            "leave alone": params["vm_bystander"]}
