"""lab03 reference solution (instructor edition only)."""

from ..grading.instructor import all_params


def solve(lab):
    p = all_params(lab)
    env = lab.env.disconnect_device(p["vm_iso"], "CD/DVD drive 1")
    env = env.set_vm(p["vm_affinity"], cpu_affinity=())
    env = env.power_off(p["vm_passthrough"]).remove_device(p["vm_passthrough"], "PCI device 0")
    env = env.power_on(p["vm_passthrough"])
    env = env.add_port_group("vSwitch0", p["prod_net"], host=p["host_b"], vlan=p["prod_vlan"])
    env = env.power_off(p["vm_cpu"]).set_vm(p["vm_cpu"], evc_mode="intel-cascadelake")
    lab.env = env.power_on(p["vm_cpu"])
    return lab
