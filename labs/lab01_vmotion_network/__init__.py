"""lab01 Build the vMotion network: variant parameters and the start environment."""

from ..grading.variants import two_host_site

__all__ = ["make_params"]

_SITES = ("ams", "ber", "cph", "dub", "hel", "lis", "osl", "prg", "vie", "zrh")
_VMS = ("web", "app", "erp", "crm", "git", "wiki")


def make_params(draw):
    """Names, VLANs, subnets and the MTU for one learner (see grading.variants.Draw)."""
    a, b = draw.integer("vmotion_net_a", 16, 250), draw.integer("vmotion_net_b", 0, 250)
    return {
        **two_host_site(draw, _SITES),
        "vmotion_subnet": f"10.{a}.{b}.0/24",
        # jumbo frames for everyone: with 1500 for half the learners, the other half had the
        # extra end-to-end step (the vSwitch MTU) and a harder lab (issue 18, lab fairness)
        "mtu": 9000,
        "vm": f"{draw.choice('vm_role', _VMS)}{draw.integer('vm_number', 1, 99):02d}",
        "vm_memory_gib": draw.choice("vm_memory_gib", (4, 8, 16)),
        "vm_dirty_mibps": draw.choice("vm_dirty_mibps", (50, 100, 200)),
    }
