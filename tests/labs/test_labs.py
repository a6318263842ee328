"""Every lab: the start state fails (and scores 0), the solution gets full marks, each fault
injector yields its specific feedback, saved hand-ins replay to the same state, known-bad
hand-ins get their verdicts, and the notebook runs top to bottom in its start state."""

import importlib
import importlib.resources
import json

import pytest

from vmotion_core.errors import ConfigError

from vmotion_labs import Lab, lab_ids
from vmotion_labs.grading.instructor import all_params, grade
from vmotion_labs.grading.lab import lab_spec
from vmotion_labs.grading.state import StateError, read_submission

LABS = lab_ids()
LEARNERS = ("alice", "bob.smith@example.org", "s1234567")


def _module(lab_id, name):
    return importlib.import_module(f"vmotion_labs.{lab_spec(lab_id).folder}.{name}")


def _solved(lab_id, learner="alice"):
    lab = Lab.open(lab_id, learner=learner)
    _module(lab_id, "solution").solve(lab)
    return lab


FAULT_CASES = [(lab_id, name) for lab_id in LABS for name in _module(lab_id, "faults").FAULTS]
ANSWER_FAULT_CASES = [(lab_id, name) for lab_id in LABS
                      for name in getattr(_module(lab_id, "faults"), "ANSWER_FAULTS", {})]


def test_all_six_labs_are_installed():
    assert LABS[:6] == ["lab01", "lab02", "lab03", "lab04", "lab05", "lab06"]


@pytest.mark.parametrize("lab_id", LABS)
def test_start_state_fails(lab_id):
    report = grade(Lab.open(lab_id, learner="alice"))
    assert not report.passed
    assert report.score == 0, f"an untouched lab earns points: {report}"
    outcome = [r for r in report.results if r.category == "outcome" and not r.hidden]
    assert outcome and not all(r.passed for r in outcome)
    assert not any(r.crashed for r in report.results), str(report)


@pytest.mark.parametrize("lab_id", LABS)
@pytest.mark.parametrize("learner", LEARNERS)
def test_solution_gets_full_marks(lab_id, learner):
    report = grade(_solved(lab_id, learner))
    assert report.score == report.max_score, str(report)
    assert report.max_score > 0


@pytest.mark.parametrize("lab_id, fault", FAULT_CASES)
def test_fault_yields_specific_feedback(lab_id, fault):
    lab = _solved(lab_id)
    inject, must_fail, words = _module(lab_id, "faults").FAULTS[fault]
    if getattr(inject, "on_lab", False):   # works through the lab API (lab.migrate, ...)
        inject(lab, all_params(lab))
    else:
        lab.env = inject(lab.env, all_params(lab))
    report = grade(lab)
    failing = {r.check_id: r for r in report.results if not r.passed}
    assert must_fail <= set(failing), str(report)
    assert any(words.lower() in failing[c].message.lower() for c in must_fail), str(report)
    assert not any(r.crashed for r in report.results), str(report)


def _assert_specific(report, must_fail, words):
    failing = {r.check_id: r for r in report.results if not r.passed}
    assert must_fail <= set(failing), str(report)
    assert any(words.lower() in failing[c].message.lower() for c in must_fail), str(report)
    assert not any(r.crashed for r in report.results), str(report)


@pytest.mark.parametrize("lab_id, fault", ANSWER_FAULT_CASES)
def test_wrong_answers_yield_specific_feedback(lab_id, fault):
    lab = _solved(lab_id)
    change, must_fail, words = _module(lab_id, "faults").ANSWER_FAULTS[fault]
    answers = change(dict(lab.answers), all_params(lab))
    ops = [{"do": "answer", "key": k, "value": v} for k, v in answers.items()]
    ops += [op for op in lab.operations if op["do"] != "answer"]   # answers first: in time
    again = Lab.from_submission({**lab.submission(), "operations": ops})
    _assert_specific(grade(again), must_fail, words)


@pytest.mark.parametrize("lab_id", LABS)
def test_learner_check_runs_public_checks_and_counts_hidden(lab_id):
    lab = Lab.open(lab_id, learner="alice")
    report = lab.check()
    spec = lab_spec(lab_id)
    assert not any(r.hidden for r in report.results)
    assert len(report.pending) == len(spec.hidden) >= 1
    assert "hidden check(s)" in str(report) and "run only at grading" in report._repr_html_()
    hidden_ids = {c.check_id for c in spec.checks if c.hidden}
    assert hidden_ids == {h[0] for h in spec.hidden}, "lab.yaml hidden list out of date"


@pytest.mark.parametrize("lab_id", LABS)
def test_variants_differ_between_learners_and_regenerate(lab_id):
    a1, a2 = Lab.open(lab_id, "alice"), Lab.open(lab_id, "alice")
    b = Lab.open(lab_id, "bob")
    assert a1.params == a2.params and a1.start_env == a2.start_env
    assert a1.params != b.params
    assert Lab.open(lab_id, "alice", course="another-course").params != a1.params


@pytest.mark.parametrize("lab_id", LABS)
def test_saved_solution_replays_with_full_marks(lab_id, tmp_path):
    lab = _solved(lab_id, "carol")
    saved = lab.save(tmp_path / "s.json")
    again = Lab.load(saved.path)
    assert again.env == lab.env and again.answers == lab.answers
    assert again.operations == lab.operations
    report = grade(again)
    assert report.score == report.max_score


def _verdict(doc, learner=None):
    try:
        lab = Lab.from_submission(doc, learner=learner)
    except StateError as exc:
        return exc.kind, exc.reason
    report = grade(lab)
    return "graded", report.score / report.max_score


@pytest.mark.parametrize("lab_id", LABS)
def test_known_bad_submissions(lab_id):
    doc = json.loads(json.dumps(_solved(lab_id, "carol").submission()))
    ops = doc["operations"]
    assert _verdict(doc) == ("graded", 1.0)
    # edited by hand: no seal to break; it is graded on what its operations do
    assert _verdict({**doc, "operations": ops[:-1]})[0] == "graded"
    assert _verdict({**doc, "operations": []}) == ("graded", 0.0)
    # someone else's operations, relabelled: replayed on the real learner's variant
    kind, why = _verdict({**doc, "learner": "dave"}, learner="dave")
    assert kind == "replay-failed" and why.startswith("step "), why
    # a back door written into the file is not an operation the lab offers
    bad = {"do": "relocate_vm", "args": ["x"], "kwargs": {"host": "y"}}
    kind, why = _verdict({**doc, "operations": ops + [bad]})
    assert kind == "replay-failed" and f"step {len(ops) + 1} (relocate_vm)" in why
    assert _verdict({**doc, "operations": [{"do": "_commit", "args": []}]})[0] == "replay-failed"
    assert _verdict({**doc, "operations": [["not", "a", "dict"]]})[0] == "replay-failed"
    # a future lab version, a too-long log
    assert _verdict({**doc, "lab_version": 99})[0] == "version"
    assert _verdict({**doc, "operations": [{"do": "reset"}] * 5000})[0] == "limit"


@pytest.mark.parametrize("lab_id", LABS)
def test_notebook_runs_top_to_bottom_in_start_state(lab_id, tmp_path, monkeypatch):
    spec = lab_spec(lab_id)
    nb_path = importlib.resources.files("vmotion_labs") / spec.folder / f"{lab_id}.ipynb"
    nb = json.loads(nb_path.read_text(encoding="utf-8"))
    assert all(not c.get("outputs") for c in nb["cells"] if c["cell_type"] == "code"), \
        "notebooks are stored without outputs"
    assert not any("### BEGIN SOLUTION" in "".join(c["source"]) for c in nb["cells"])
    monkeypatch.chdir(tmp_path)
    namespace = {}
    for cell in nb["cells"]:
        if cell["cell_type"] == "code":
            exec(compile("".join(cell["source"]), f"{lab_id}.ipynb", "exec"), namespace)
    lab = namespace["lab"]
    assert not lab.check().passed
    state = read_submission(tmp_path / f"{lab_id}-student.json")
    assert state["lab"] == lab_id


def test_learner_facing_errors_use_the_course_words():
    """lab03: a disconnected NIC on a network the destination lacks; lab06: a typo in the plan.
    The learner reads what is wrong, never the simulator's internal inventory paths."""
    lab = Lab.open("lab03", "alice")
    p = all_params(lab)
    lab.env = lab.env.set_nic(p["vm_network"], "Network adapter 1", connected=False)
    with pytest.raises(ConfigError) as exc:
        lab.migrate(p["vm_network"], target=p["host_b"], apply=False)
    assert "vCenter cannot complete this move" in str(exc.value) and "vms[" not in str(exc.value)
    text = str(grade(lab))
    assert "vms[" not in text and "Error:" not in text and "Traceback" not in text
    lab = Lab.open("lab06", "alice")
    lab.answer("plan", [[["vm-typo", lab.briefing()["targets"][0]]]])
    lab.answer("evac_s", 100)
    report = grade(lab)
    assert report.score == 0 and not any(r.crashed for r in report.results)
    assert "unknown vm 'vm-typo'" in str(report) or "missing" in str(report)


def test_one_nonsense_wave_earns_nothing():
    lab = Lab.open("lab06", "alice")
    lab.answer("plan", [[["nonsense", "nowhere"]]])
    lab.answer("evac_s", 1)
    assert grade(lab).score == 0


def test_lab04_a_lighter_database_vm_does_not_size_the_network():
    lab = Lab.open("lab04", "alice")
    p = all_params(lab)
    wl = lab.env.vm(p["vm_big"]).workload
    lab.env = lab.env.set_vm(p["vm_big"], workload={"kind": wl.kind, "dirty_rate_mibps": 1})
    from vmotion_core.migration import MigrationRequest, migrate
    from vmotion_labs.grading.oplog import plain_env
    light = migrate(plain_env(lab.env), MigrationRequest(p["vm_big"], p["host_b"]))
    assert light.ok and light.stun_ms <= p["goal_ms"]   # the lighter VM would make its goal...
    q1 = next(r for r in grade(lab).results if r.check_id == "q1")
    assert not q1.passed   # ...but the network is graded with the VM as it started: 1 GbE


SAMPLE = [f"learner{i:03d}" for i in range(0, 400, 40)] + ["x@example.org", "Z9"]


@pytest.mark.parametrize("lab_id", LABS)
def test_every_sampled_variant_replays_its_solution_to_full_marks_and_its_start_to_zero(lab_id):
    for learner in SAMPLE:
        doc = json.loads(json.dumps(_solved(lab_id, learner).submission()))
        report = grade(Lab.from_submission(doc, learner=learner))
        assert report.score == report.max_score, (learner, str(report))
        start = grade(Lab.open(lab_id, learner))
        assert start.score == 0 and not start.passed, (learner, str(start))
