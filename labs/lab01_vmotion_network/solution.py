"""lab01 reference solution (instructor edition only)."""

import ipaddress

from ..grading.instructor import all_params


def solve(lab):
    """Give both hosts a vMotion vmknic in the variant's subnet, VLAN and MTU."""
    p = all_params(lab)
    net = ipaddress.ip_network(p["vmotion_subnet"])
    env = lab.env
    for i, host in enumerate((p["host_a"], p["host_b"])):
        if p["mtu"] > 1500:
            env = env.set_switch("vSwitch1", host=host, mtu=p["mtu"])
        env = env.add_vmknic(host, ip=str(net[21 + i]), prefix=net.prefixlen, port_group="vMotion",
                             services=("vmotion",), mtu=p["mtu"])
    lab.env = env
    return lab
