"""lab07 fault injectors for the tests (not the learner's network fault: that one comes from
lab05's catalogue, see ``__init__``). ``FAULTS[name] = (inject, ids that must fail, words their
feedback holds)``; an injector marked :func:`on_lab` works on the solved lab through its API."""

from ..lab02_choose_migration.faults import on_lab

__all__ = ["FAULTS", "ANSWER_FAULTS", "on_lab"]


@on_lab
def app_moved_back(lab, p):
    assert lab.migrate(p["vm"], target=p["host_a"]).ok


@on_lab
def db_moved_back(lab, p):
    assert lab.migrate(p["vm_db"], target=p["host_a"]).ok


def local_vm_powered_off(env, p):
    return env.power_off(p["vm_local"])


def network_not_sized(env, p):
    for host in (p["host_a"], p["host_b"]):
        env = env.set_uplink(host, "vmnic1", speed_mbps=10000)
    return env


def management_touched(env, p):
    return env.set_vmknic(p["host_a"], "vmk0", mtu=9000)


def db_pinned(env, p):
    return env.set_vm(p["vm_db"], cpu_affinity=(2, 3))


def app_cycled(env, p):
    return env.power_off(p["vm"]).power_on(p["vm"])


FAULTS = {
    "app_moved_back": (app_moved_back, {"q1"}, "not where its goal puts it"),
    "db_moved_back": (db_moved_back, {"q3"}, "not where its goal puts it"),
    "local_vm_powered_off": (local_vm_powered_off, {"q2"}, "must stay powered-on"),
    "network_not_sized": (network_not_sized, {"q4"}, "on your vMotion network"),
    "management_touched": (management_touched, {"q5"}, "management"),
    "db_changed": (db_pinned, {"q5"}, "itself was changed"),
    "app_cycled": (app_cycled, {"h1"}, "switched off"),
}


def _swap_types(answers, p):
    t = dict(answers["types"])
    t[p["vm"]], t[p["vm_local"]] = t[p["vm_local"]], t[p["vm"]]
    return {**answers, "types": t}


ANSWER_FAULTS = {
    "wrong_root_cause": (lambda a, p: {**a, "root_cause": "T2"}, {"a1"}, "does not match"),
    "no_root_cause": (lambda a, p: {k: v for k, v in a.items() if k != "root_cause"}, {"a1"},
                      "no root cause"),
    "types_swapped": (_swap_types, {"a2"}, "does not match"),
}
