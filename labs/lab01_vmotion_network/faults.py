"""lab01 fault injectors: each breaks a solved environment in one way a learner might.

``FAULTS[name] = (inject(env, params) -> env, check ids that must fail, words the feedback of
those checks must hold)``.
The tests apply each to the reference solution and assert the specific feedback.
"""

import ipaddress

__all__ = ["FAULTS"]


def _vmk(env, host):
    return next(v for v in env.host(host).vmknics if "vmotion" in v.services)


def service_unticked(env, p):
    return env.disable_service(p["host_b"], _vmk(env, p["host_b"]).name, "vmotion")


def wrong_subnet(env, p):
    net = ipaddress.ip_network(p["vmotion_subnet"])
    other = ipaddress.ip_network((int(net.network_address) + 256, 24))
    return env.set_vmknic(p["host_b"], _vmk(env, p["host_b"]).name, ip=str(other[22]))


def wrong_vlan(env, p):
    return env.set_port_group("vSwitch1", "vMotion", host=p["host_b"],
                              vlan=p["vmotion_vlan"] + 1)


def jumbo_on_1500_switch(env, p):
    for host in (p["host_a"], p["host_b"]):
        env = env.set_vmknic(host, _vmk(env, host).name, mtu=9000)
        env = env.set_switch("vSwitch1", host=host, mtu=1500)
    return env


def vmotion_on_management(env, p):
    env = env.remove_vmknic(p["host_a"], _vmk(env, p["host_a"]).name)
    return env.enable_service(p["host_a"], "vmk0", "vmotion")


FAULTS = {
    "service_unticked": (service_unticked, {"q1", "q3"}, "vMotion service"),
    "wrong_subnet": (wrong_subnet, {"q1", "q4"}, "not in your vMotion subnet"),
    "wrong_vlan": (wrong_vlan, {"q1", "q4"}, "VLAN"),
    "jumbo_on_1500_switch": (jumbo_on_1500_switch, {"q1", "q5"}, "MTU"),
    "vmotion_on_management": (vmotion_on_management, {"q1", "q2", "q6"}, "management"),
}
