"""lab05 reference fixes, one per catalogue fault (instructor edition only)."""

from ..grading.instructor import all_params


def _vmk_stack(env, p):
    return next(v.name for v in env.host(p["host_b"]).vmknics if v.tcpip_stack == "vmotion")


FIXES = {
    "T1": lambda env, p: env.enable_service(p["host_b"], "vmk1", "vmotion"),
    "T2": lambda env, p: env.remove_vmknic(p["host_b"], _vmk_stack(env, p))
                            .enable_service(p["host_b"], "vmk1", "vmotion"),
    "T3": lambda env, p: env.set_vmknic(p["host_b"], "vmk1", ip=f"{p['vmotion_net']}.22"),
    "T4": lambda env, p: env.set_uplink(p["host_b"], "vmnic1", physical_mtu=9000),
    "T5": lambda env, p: env.set_port_group("vSwitch0", p["vm_net"].replace("-", " "),
                                            host=p["host_b"], new_name=p["vm_net"]),
    "T7": lambda env, p: env.disconnect_device(p["vm"], "CD/DVD drive 1"),
    "T9": lambda env, p: env.set_host(p["host_b"], nx_enabled=True),
    "T10": lambda env, p: env.mount_datastore(f"ds-{p['site']}-shared", p["host_b"]),
    "T11": lambda env, p: env.set_host(p["host_b"], license="lic-ent"),
    "T17": lambda env, p: env.set_vm(p["vm"], cpu_affinity=()),
}


def solve(lab):
    p = all_params(lab)
    lab.env = FIXES[p["fault"]](lab.env, p)
    lab.answer("root_cause", p["fault"])
    return lab
