"""lab02 fault injectors: ``FAULTS[name] = (inject(env, params) -> env, ids that must fail,
words their feedback holds)``; ``ANSWER_FAULTS`` do the same to the answers."""

__all__ = ["FAULTS", "ANSWER_FAULTS"]


def host_not_moved(env, p):
    return env.relocate_vm(p["vm_host"], host=p["host_1"])


def disk_left_behind(env, p):
    return env.relocate_vm(p["vm_storage"], disk_datastores={"Hard disk 1": p["ds_shared"]})


def cold_vm_powered_on(env, p):
    return env.power_on(p["vm_cold"])


def bystander_moved(env, p):
    return env.relocate_vm(p["vm_bystander"], host=p["host_1"])


def live_vm_cycled(env, p):
    return env.power_off(p["vm_both"]).power_on(p["vm_both"])


FAULTS = {
    "host_not_moved": (host_not_moved, {"q1"}, "not where its goal puts it"),
    "disk_left_behind": (disk_left_behind, {"q2"}, "disk 'Hard disk 1'"),
    "cold_vm_powered_on": (cold_vm_powered_on, {"q4"}, "must stay powered-off"),
    "bystander_moved": (bystander_moved, {"q6"}, "was changed"),
    "live_vm_cycled": (live_vm_cycled, {"h1"}, "switched off"),
}


def _swap_types(answers, p):
    t = dict(answers["types"])
    t[p["vm_both"]], t[p["vm_vcenter"]] = t[p["vm_vcenter"]], t[p["vm_both"]]
    return {**answers, "types": t}


def _missing(answers, p):
    t = dict(answers["types"])
    del t[p["vm_cold"]]
    return {**answers, "types": t}


ANSWER_FAULTS = {
    "types_swapped": (_swap_types, {"a3", "a5"}, "does not match"),
    "type_missing": (_missing, {"a4"}, "no migration type recorded"),
}
