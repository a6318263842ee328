"""lab06 fault injectors on the solved lab: ``FAULTS`` change the environment, ``ANSWER_FAULTS``
the plan or prediction; each with the check ids that must fail and words their feedback holds."""

__all__ = ["FAULTS", "ANSWER_FAULTS"]


def _not_in_maintenance(env, p):
    return env.set_host(p["host_x"], maintenance_mode=False)


def _vm_powered_off(env, p):
    return env.power_off(p["vm_list"][0]["name"])


def _one_wave(answers, p):
    return {**answers, "plan": [[m for w in answers["plan"] for m in w]]}


def _one_by_one(answers, p):
    return {**answers, "plan": [[m] for w in answers["plan"] for m in w]}


def _dropped(answers, p):
    plan = [list(w) for w in answers["plan"]]
    plan[0] = plan[0][1:]
    return {**answers, "plan": plan}


def _all_to_one(answers, p):
    return {**answers, "plan": [[[vm, p["host_y"]] for vm, _ in w] for w in answers["plan"]]}


FAULTS = {
    "not_in_maintenance": (_not_in_maintenance, {"q1"}, "maintenance mode"),
    "vm_powered_off": (_vm_powered_off, {"q2"}, "keeps VMs running"),
}

ANSWER_FAULTS = {
    "one_big_wave": (_one_wave, {"q4"}, "queued"),
    "one_vm_per_wave": (_one_by_one, {"q5"}, "waves"),
    "vm_left_out": (_dropped, {"q3"}, "missing"),
    "all_to_one_host": (_all_to_one, {"q4", "q7"}, "could not move"),
    "wild_guess": (lambda a, p: {**a, "evac_s": a["evac_s"] * 3}, {"q6"}, "above"),
}
