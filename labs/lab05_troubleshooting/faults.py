"""lab05 fault catalogue (vmotion-facts.md §5) and the wrong-fix injectors used by the tests.

``CATALOGUE[id] = (symptom for the learner's menu, inject(env, params) -> env)``: each breaks
the healthy site the way the fact sheet's troubleshooting row describes. The lab's start state is
the healthy site plus the learner's fault (``params["fault"]``). This file ships in the student
edition because the start state needs it; the fix lives in ``solution.py``.

``FAULTS`` (tests): wrong or incomplete fixes applied to the solved site, with the check ids
that must fail and the words their feedback holds.
"""

__all__ = ["CATALOGUE", "FAULT_IDS", "ENTRY_OF_RULE", "FAULTS", "ANSWER_FAULTS", "inject"]


def _t1(env, p):   # vMotion service unticked on the destination vmknic
    return env.disable_service(p["host_b"], "vmk1", "vmotion")


def _t2(env, p):   # a vMotion-stack vmknic without a gateway silences the default-stack one
    return env.add_vmknic(p["host_b"], ip=f"172.{p['stack_net']}.0.22", prefix=24,
                          port_group="vMotion", tcpip_stack="vmotion", mtu=1500)


def _t3(env, p):   # destination vmknic moved to another subnet on the default stack
    return env.set_vmknic(p["host_b"], "vmk1", ip=f"10.{p['other_net']}.22")


def _t4(env, p):   # jumbo frames on the vmknics and vSwitches, one 1500-byte hop on the destination
    for host in (p["host_a"], p["host_b"]):
        env = env.set_vmknic(host, "vmk1", mtu=9000).set_switch("vSwitch1", host=host, mtu=9000)
    return env.set_uplink(p["host_b"], "vmnic1", physical_mtu=1500)


def _t5(env, p):   # the VM's port group label differs on the destination
    return env.set_port_group("vSwitch0", p["vm_net"], host=p["host_b"],
                              new_name=p["vm_net"].replace("-", " "))


def _t7(env, p):   # an ISO on a host-local datastore is connected
    return env.connect_device(p["vm"], "CD/DVD drive 1")


def _t9(env, p):   # NX/XD switched off in the destination's BIOS
    return env.set_host(p["host_b"], nx_enabled=False)


def _t10(env, p):  # the shared datastore is not mounted on the destination
    return env.unmount_datastore(f"ds-{p['site']}-shared", p["host_b"])


def _t11(env, p):  # the destination got a license without vMotion
    return env.set_host(p["host_b"], license="lic-ess")


def _t17(env, p):  # CPU affinity on the VM
    return env.set_vm(p["vm"], cpu_affinity=(2, 3))


CATALOGUE = {
    "T1": ("The destination has no VMkernel adapter that offers vMotion.", _t1),
    "T2": ("A vmknic on the vMotion TCP/IP stack has silenced the default-stack vMotion vmknic.",
           _t2),
    "T3": ("The vMotion vmknics cannot reach each other (subnet, VLAN or route).", _t3),
    "T4": ("Large frames do not get through: the MTU is not consistent end to end.", _t4),
    "T5": ("The VM's network does not exist under that name on the destination.", _t5),
    "T7": ("A connected device is backed by storage only the source host can see.", _t7),
    "T9": ("The destination's CPU does not offer every feature the VM uses.", _t9),
    "T10": ("A datastore holding the VM's files is not mounted on the destination.", _t10),
    "T11": ("A host is not licensed for vMotion.", _t11),
    "T17": ("The VM has a scheduling affinity that ties it to its host.", _t17),
}


#: Faults a variant may draw. Every one of them is diagnosed the same way: vCenter shows a
#: symptom that does not name the cause (a generic CPU, network or data-transfer error), the
#: learner compares the two hosts, and one setting on the destination host fixes it. The other
#: catalogue rows stay on the menu as plausible answers; they are not drawn because vCenter's
#: own error names their cause (licence, affinity, device backing, unmounted datastore, "vMotion
#: interface not configured"), or, for T2, because what the learner sees (a stall at 10 %)
#: is T3's symptom (tests/labs/test_lab_fairness.py).
FAULT_IDS = ("T3", "T4", "T5", "T9")

#: The troubleshooting entry (module 07's field guide, fact sheet §5) each rule's finding points
#: to: a variant is fair when its findings point to its own graded answer and nowhere else.
ENTRY_OF_RULE = {"H1": "T1", "N2": "T2", "N1": "T3", "N1b": "T3", "N5a": "T4", "N5b": "T4",
                 "N6": "T5", "V1": "T7", "V2": "T8", "H7": "T9", "ST1": "T10", "ST1b": "T10",
                 "H4": "T11", "V5": "T17"}


def inject(env, params):
    """The healthy site with the learner's fault injected."""
    return CATALOGUE[params["fault"]][1](env, params)


def _reinjected(env, p):
    return inject(env, p)


def _powered_off(env, p):
    return env.power_off(p["vm"])


def _management_touched(env, p):
    return env.set_vmknic(p["host_a"], "vmk0", mtu=9000)


def _sledgehammer(env, p):
    env = env.set_host(p["host_a"], cpu_cores=64).set_host(p["host_b"], cpu_cores=64)
    return env.set_cluster(f"cl-{p['site']}", drs_enabled=False)


FAULTS = {
    "fault_still_there": (_reinjected, {"q1"}, "vCenter reports"),
    "vm_powered_off": (_powered_off, {"q1"}, "running"),
    "management_touched": (_management_touched, {"q3"}, "management"),
    "too_many_changes": (_sledgehammer, {"q2"}, "objects"),
}

ANSWER_FAULTS = {
    "wrong_root_cause": (lambda a, p: {**a, "root_cause": "T17" if p["fault"] != "T17" else "T1"},
                         {"a1"}, "does not match"),
    "no_root_cause": (lambda a, p: {}, {"a1"}, "no root cause"),
}
