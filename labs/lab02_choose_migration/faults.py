"""lab02 fault injectors: ``FAULTS[name] = (inject, ids that must fail, words their feedback
holds)``; ``ANSWER_FAULTS`` do the same to the answers. An injector marked :func:`on_lab` works
on the solved lab through its API (VMs move only through ``lab.migrate``); the others take and
return an environment."""

__all__ = ["FAULTS", "ANSWER_FAULTS", "on_lab"]


def on_lab(fn):
    fn.on_lab = True
    return fn


@on_lab
def host_not_moved(lab, p):
    assert lab.migrate(p["vm_host"], target=p["host_1"]).ok


@on_lab
def disk_left_behind(lab, p):
    assert lab.migrate(p["vm_storage"], disk_datastores={"Hard disk 1": p["ds_shared"]}).ok


def cold_vm_powered_on(env, p):
    return env.power_on(p["vm_cold"])


@on_lab
def bystander_moved(lab, p):
    other = p["host_2"] if lab.env.vm(p["vm_bystander"]).host != p["host_2"] else p["host_1"]
    assert lab.migrate(p["vm_bystander"], target=other).ok


def live_vm_cycled(env, p):
    return env.power_off(p["vm_both"]).power_on(p["vm_both"])


@on_lab
def cold_vm_moved_live(lab, p):
    """Right end state, wrong way: power on, vMotion live, power off again."""
    vm, host = p["vm_cold"], lab.start_env.vm(p["vm_cold"]).host
    assert lab.migrate(vm, target=host, datastore=lab.start_env.vm(vm).config_datastore).ok
    lab.env = lab.env.power_on(vm)
    assert lab.migrate(vm, target=p["host_3"], datastore=p["ds_local"]).ok
    lab.env = lab.env.power_off(vm)


FAULTS = {
    "host_not_moved": (host_not_moved, {"q1"}, "not where its goal puts it"),
    "disk_left_behind": (disk_left_behind, {"q2"}, "disk 'Hard disk 1'"),
    "cold_vm_powered_on": (cold_vm_powered_on, {"q4"}, "must stay powered-off"),
    "bystander_moved": (bystander_moved, {"q6"}, "was changed"),
    "live_vm_cycled": (live_vm_cycled, {"h1"}, "switched off"),
    "cold_vm_moved_live": (cold_vm_moved_live, {"q7"}, "stays switched off"),
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
