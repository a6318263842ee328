"""lab04 fault injectors (applied to the reference solution): ``FAULTS[name] = (inject(env,
params) -> env, ids that must fail, words)``; ``ANSWER_FAULTS`` change the predictions."""

__all__ = ["FAULTS", "ANSWER_FAULTS"]


def _one_side(env, p):     # only one host upgraded: the slower side sets the pace
    return env.set_uplink(p["host_b"], "vmnic1", speed_mbps=1000)


def _link_down(env, p):
    return env.set_uplink(p["host_b"], "vmnic1", link_up=False)


def _switchover_raised(env, p):
    vm = p["vm_big"]
    return env.power_off(vm).set_vm(vm, max_switchover_s=200).power_on(vm)


FAULTS = {
    "one_side_upgraded": (_one_side, {"q1", "q2"}, "slowed down"),
    "link_down": (_link_down, {"q1"}, "vCenter reports"),
    "vm_tuned_instead": (_switchover_raised, {"q3"}, "size the network"),
}

ANSWER_FAULTS = {
    "rounds_off": (lambda a, p: {**a, "rounds": a["rounds"] + 3}, {"p1"}, "too many"),
    "total_off": (lambda a, p: {**a, "total_s": a["total_s"] * 2}, {"p2"}, "above"),
    "stun_off": (lambda a, p: {**a, "stun_ms": a["stun_ms"] + 1000}, {"p3"}, "above"),
    "no_predictions": (lambda a, p: {}, {"p1", "p2", "p3"}, "no prediction"),
}
