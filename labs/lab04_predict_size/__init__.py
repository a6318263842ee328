"""lab04 Predict, then run: variant parameters and the start environment."""

from ..grading.variants import two_host_site

__all__ = ["make_params", "briefing", "TOLERANCES"]

_SITES = ("kiel", "bonn", "linz", "basel", "ghent", "delft", "turin", "nancy")
#: how close a prediction must be to the simulator's own run (rounds absolute, others relative)
TOLERANCES = {"rounds": 1, "total_s": 0.20, "stun_ms": 0.30, "stun_ms_floor": 100.0}


def make_params(draw):
    return {
        **two_host_site(draw, _SITES),
        "vmotion_net": f"10.{draw.integer('net_a', 16, 120)}.{draw.integer('net_b', 0, 250)}",
        "vm_net": draw.choice("vm_net", ("VM-Prod", "App-Net", "Web-Front")),
        "vm": f"app{draw.integer('vm_number', 1, 99):02d}",
        "vm_memory_gib": draw.choice("vm_memory_gib", (4, 6, 8)),
        "vm_dirty_mibps": draw.choice("vm_dirty_mibps", (20, 30, 40)),
        "vm_big": f"db{draw.integer('big_number', 1, 99):02d}",
        "big_memory_gib": draw.choice("big_memory_gib", (32, 48, 64)),
        "big_dirty_mibps": draw.choice("big_dirty_mibps", (600, 800, 1000)),
        "goal_ms": draw.choice("goal_ms", (300, 350)),
    }


def briefing(params):
    p = params
    return {"predict for": f"{p['vm']} ({p['vm_memory_gib']} GiB, writing about "
                           f"{p['vm_dirty_mibps']} MiB/s) moving {p['host_a']} -> {p['host_b']} "
                           "on today's vMotion network",
            "predict": "rounds (pre-copy passes, incl. the first full copy), total time in s, "
                       "stun time in ms",
            "size for": f"{p['vm_big']} ({p['big_memory_gib']} GiB, writing about "
                        f"{p['big_dirty_mibps']} MiB/s) must move with a stun time of at most "
                        f"{p['goal_ms']} ms, without Stun During Page Send slowing the guest down",
            "tolerances": dict(TOLERANCES)}
