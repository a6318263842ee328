"""lab01 Build the vMotion network: variant parameters and the start environment."""

from pathlib import Path

from ..grading.envio import build_from_template

__all__ = ["make_params", "build_start"]

_SITES = ("ams", "ber", "cph", "dub", "hel", "lis", "osl", "prg", "vie", "zrh")
_VMS = ("web", "app", "erp", "crm", "git", "wiki")


def make_params(draw):
    """Names, VLANs, subnets and the MTU for one learner (see grading.variants.Draw)."""
    site = draw.choice("site", _SITES)
    n = draw.integer("host_number", 1, 40)
    mgmt = draw.integer("mgmt_net", 10, 99)
    a, b = draw.integer("vmotion_net_a", 16, 250), draw.integer("vmotion_net_b", 0, 250)
    return {
        "site": site,
        "host_a": f"esx-{site}-{n:02d}", "host_b": f"esx-{site}-{n + 1:02d}",
        "mgmt_vlan": draw.integer("mgmt_vlan", 10, 99),
        "vm_vlan": draw.integer("vm_vlan", 100, 199),
        "vmotion_vlan": draw.integer("vmotion_vlan", 200, 3999),
        "mgmt_a": f"192.168.{mgmt}.{10 + n}", "mgmt_b": f"192.168.{mgmt}.{11 + n}",
        "vmotion_subnet": f"10.{a}.{b}.0/24",
        "mtu": draw.choice("mtu", (1500, 9000)),
        "vm": f"{draw.choice('vm_role', _VMS)}{draw.integer('vm_number', 1, 99):02d}",
        "vm_memory_gib": draw.choice("vm_memory_gib", (4, 8, 16)),
        "vm_dirty_mibps": draw.choice("vm_dirty_mibps", (50, 100, 200)),
    }


def build_start(params):
    return build_from_template(Path(__file__).parent, params)
