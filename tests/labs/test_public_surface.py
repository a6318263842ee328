"""What a learner sees through the public Lab API never gives the answer away.

For every lab, the public surface (``lab.params``, ``lab.tasks``, ``lab.briefing()``, ``repr``,
``lab.env.changes``, the text and HTML of ``lab.check()``, and the JSON written by ``lab.save()``)
must not contain the injected fault, which VM plays which role, or the values of the reference
solution. The grader still sees everything (the variant is regenerated from the learner id).
"""

import importlib
import json
import re

import pytest

from vmotion_labs import Lab, lab_ids
from vmotion_labs.grading.instructor import all_params, spec_of
from vmotion_labs.grading.lab import lab_spec

LEARNERS = ("alice", "bob.smith@example.org", "s1234567", "learner7")


def _module(lab_id, name):
    return importlib.import_module(f"vmotion_labs.{lab_spec(lab_id).folder}.{name}")


def _surface(lab, tmp_path, briefing=None):
    """Every piece of public text of ``lab``, labelled (the briefing can be passed trimmed)."""
    report = lab.check()
    path = lab.save(tmp_path / f"{lab.lab_id}-{lab.learner}.json").path
    return {"params": json.dumps(lab.params), "tasks": "\n".join(map(str, lab.tasks)),
            "briefing": json.dumps(lab.briefing() if briefing is None else briefing),
            "repr": repr(lab), "changes": "\n".join(lab.env.changes),
            "check text": str(report), "check html": report._repr_html_(),
            "saved file": open(path, encoding="utf-8").read()}


def _assert_absent(surface, pattern, skip=()):
    for where, text in surface.items():
        if where not in skip:
            assert not re.search(pattern, text), f"{pattern!r} leaks through {where}"


@pytest.mark.parametrize("lab_id", lab_ids())
def test_start_state_has_no_change_log_and_the_file_no_params(lab_id, tmp_path):
    lab = Lab.open(lab_id, "alice")
    assert lab.env.changes == () and lab.start_env.changes == ()
    state = json.loads(_surface(lab, tmp_path)["saved file"])
    assert "params" not in state and "fault" not in state and "environment" not in state
    assert state["operations"] == [] and "integrity" not in state   # no seal, no secret
    hidden = set(getattr(spec_of(lab).package, "SECRET_PARAMS", ()))
    assert lab.params == {k: v for k, v in all_params(lab).items() if k not in hidden}


def test_lab01_shows_no_hidden_check_and_no_secret_param(tmp_path):
    lab = Lab.open("lab01", "alice")
    assert lab.params == all_params(lab)   # nothing is injected: every parameter is a task input
    report = lab.check()
    assert not any(r.hidden for r in report.results)
    for _, title in ((c.check_id, c.title) for c in spec_of(lab).checks if c.hidden):
        _assert_absent(_surface(lab, tmp_path), re.escape(title))


@pytest.mark.parametrize("learner", LEARNERS)
def test_lab02_hides_which_vm_needs_which_migration(learner, tmp_path):
    from vmotion_labs.lab02_choose_migration import ROLES
    from vmotion_labs.lab02_choose_migration.solution import TYPES
    lab = Lab.open("lab02", learner)
    assert not set(ROLES) & set(lab.params)
    brief = lab.briefing()
    assert list(brief) == sorted(brief)   # role order would give each VM's type away
    surface = _surface(lab, tmp_path)
    for role in ROLES:
        _assert_absent(surface, re.escape(role))
    for label in TYPES.values():   # the task text lists every type as the menu: allowed there
        _assert_absent(surface, re.escape(label), skip=("tasks",))


@pytest.mark.parametrize("learner", LEARNERS)
def test_lab03_hides_which_vm_has_which_blocker(learner, tmp_path):
    from vmotion_labs.lab03_movable_vms import ROLES, SECRET_PARAMS
    lab = Lab.open("lab03", learner)
    assert not set(SECRET_PARAMS) & set(lab.params)
    vms = lab.briefing()["VMs to make movable"]
    assert vms == sorted(vms)
    surface = _surface(lab, tmp_path)
    for role in ROLES:
        _assert_absent(surface, re.escape(role))


@pytest.mark.parametrize("learner", LEARNERS)
def test_lab04_does_not_print_the_simulated_truth(learner, tmp_path):
    lab = Lab.open("lab04", learner)
    truth = lab.migrate(all_params(lab)["vm"], target=all_params(lab)["host_b"], apply=False)
    lab.answer("rounds", truth.precopy.n_rounds + 5)
    lab.answer("total_s", truth.total_s * 3)
    lab.answer("stun_ms", truth.stun_ms + 5000)
    surface = _surface(lab, tmp_path)
    for key in ("check text", "check html", "briefing", "params"):
        text = surface[key]
        assert not re.search(rf"\b{truth.precopy.n_rounds} rounds?\b", text), key
        assert f"{truth.total_s:.1f}" not in text and f"{truth.total_s:g}" not in text, key
        assert not re.search(rf"\b{truth.stun_ms:.0f} ms\b", text), key


@pytest.mark.parametrize("learner", LEARNERS)
def test_lab05_hides_the_fault(learner, tmp_path):
    catalogue = _module("lab05", "faults").CATALOGUE
    lab = Lab.open("lab05", learner)
    fault = all_params(lab)["fault"]
    assert "fault" not in lab.params
    brief = lab.briefing()
    assert set(brief["root causes"]) == set(catalogue)   # the menu lists every id: no hint
    surface = _surface(lab, tmp_path, briefing={k: v for k, v in brief.items()
                                                if k != "root causes"})
    _assert_absent(surface, rf"\b{fault}\b")
    _assert_absent(surface, re.escape(catalogue[fault][0]))
    # a wrong diagnosis is not confirmed or refuted before grading
    lab.answer("root_cause", "T17" if fault != "T17" else "T1")
    assert "root cause" not in {r.title.lower() for r in lab.check().results}
    assert "root cause" in str(lab.check())   # ... but the hidden line says it is graded


@pytest.mark.parametrize("learner", LEARNERS[:2])
def test_lab06_does_not_reveal_the_reference_plan(learner, tmp_path):
    from vmotion_labs.lab06_evacuation import evacuation_time
    lab = Lab.open("lab06", learner)
    ref_plan = _module("lab06", "solution").reference_plan(all_params(lab))
    ref_s = evacuation_time(lab.start_env, ref_plan)[0]
    surface = _surface(lab, tmp_path)
    _assert_absent(surface, rf"\b{ref_s:.0f}\b", skip=("saved file",))  # the file: only numbers
    _assert_absent(surface, re.escape(json.dumps(ref_plan[0])))
