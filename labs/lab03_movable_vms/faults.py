"""lab03 fault injectors: ``FAULTS[name] = (inject(env, params) -> env, ids that must fail,
words their feedback holds)``, each applied to the reference solution."""

__all__ = ["FAULTS"]


def iso_reconnected(env, p):
    return env.connect_device(p["vm_iso"], "CD/DVD drive 1")


def affinity_back(env, p):
    return env.set_vm(p["vm_affinity"], memory_affinity=(0,))


def passthrough_back(env, p):
    vm = p["vm_passthrough"]
    env = env.power_off(vm).add_device(vm, "PCI device 0", "pci-passthrough", "host-device",
                                       "0000:3b:00.0", connected=True)
    return env.power_on(vm)


def network_missing(env, p):
    return env.remove_port_group("vSwitch0", p["prod_net"], host=p["host_b"])


def cpu_not_masked(env, p):
    return env.power_off(p["vm_cpu"]).set_vm(p["vm_cpu"], evc_mode=None).power_on(p["vm_cpu"])


def nic_disconnected(env, p):
    return env.set_nic(p["vm_network"], "Network adapter 1", connected=False)


def left_powered_off(env, p):
    return env.power_off(p["vm_passthrough"])


def bystander_changed(env, p):
    return env.set_vm(p["vm_bystander"], cpu_affinity=(0, 1))


FAULTS = {
    "iso_reconnected": (iso_reconnected, {"q1"}, "CannotAccessVmDevice"),
    "affinity_back": (affinity_back, {"q2"}, "AffinityConfigured"),
    "passthrough_back": (passthrough_back, {"q3"}, "DisallowedMigrationDeviceAttached"),
    "network_missing": (network_missing, {"q4"}, "CannotAccessNetwork"),
    "cpu_not_masked": (cpu_not_masked, {"q5"}, "FeatureRequirementsNotMet"),
    "nic_disconnected": (nic_disconnected, {"q6"}, "disconnected"),
    "left_powered_off": (left_powered_off, {"q3"}, "has to be running"),
    "bystander_changed": (bystander_changed, {"q6"}, "was changed"),
}
