"""Grading framework pieces that need no lab: variants, checks, rendering, lab-state files,
student edition transforms."""

import json

import pytest

from vmotion_core.errors import ConfigError
from vmotion_labs.grading.checks import CheckResult, CheckSet, Context, Report, fail
from vmotion_labs.grading.render import render_html, render_text
from vmotion_labs.grading.state import (STATE_MIME, StateError, parse_state, read_submission,
                                        state_from_notebook, write_atomic)
from vmotion_labs.grading.studentize import clear_outputs, strip_solutions
from vmotion_labs.grading.variants import Draw, check_learner_id, course_key, make_variant


# --- variants ---------------------------------------------------------------------------------
def test_draws_depend_on_learner_lab_and_secret():
    base = Draw("lab01", "alice", "s1").integer("vlan", 0, 10**9)
    assert base == Draw("lab01", "alice", "s1").integer("vlan", 0, 10**9)
    assert base != Draw("lab01", "bob", "s1").integer("vlan", 0, 10**9)
    assert base != Draw("lab02", "alice", "s1").integer("vlan", 0, 10**9)
    assert base != Draw("lab01", "alice", "s2").integer("vlan", 0, 10**9)


def test_named_draws_are_independent_of_order():
    d = Draw("lab01", "alice", "s")
    a_first = d.integer("a", 0, 1000)
    d.choice("b", "xyz")
    assert Draw("lab01", "alice", "s").integer("a", 0, 1000) == a_first


def test_draw_ranges_cover_bounds():
    d = Draw("lab01", "alice", "s")
    values = {Draw("lab01", f"l{i}", "s").integer("x", 1, 3) for i in range(60)}
    assert values == {1, 2, 3}
    assert set(d.sample("s", range(10), 4)) <= set(range(10)) and len(d.sample("s", range(10), 4)) == 4
    assert 1.0 <= d.uniform("u", 1.0, 2.0) <= 2.0


def test_variants_differ_between_learners():
    v1 = make_variant("lab00", "alice", lambda d: {"n": d.integer("n", 0, 10**6)}, "s")
    v2 = make_variant("lab00", "bob", lambda d: {"n": d.integer("n", 0, 10**6)}, "s")
    assert v1.params != v2.params and v1.to_dict()["learner"] == "alice"


@pytest.mark.parametrize("bad", ["", "a b", "../etc", "-x", "x" * 65, 5])
def test_bad_learner_ids_are_refused_with_the_field(bad):
    with pytest.raises(ConfigError, match="learner"):
        check_learner_id(bad)


def test_course_key_from_environment(monkeypatch):
    monkeypatch.setenv("VMOTION_COURSE", "from-env")
    assert course_key() == "from-env"
    assert course_key("explicit") == "explicit"
    with pytest.raises(ConfigError, match="course"):
        course_key("")


# --- checks and rendering ---------------------------------------------------------------------
def _checkset():
    cs = CheckSet("lab00", hidden=[("q3", 3, "robustness")])  # a lab's lab.yaml declares these

    @cs.check("q1", "n is positive", points=2)
    def _(ctx):
        if ctx.answers.get("n", 0) <= 0:
            fail("n is not positive yet")

    @cs.check("q2", "n is even", points=1, category="item")
    def _(ctx):
        if ctx.answers["n"] % 2:
            fail("n is odd")

    @cs.check("q3", "n is below 100", hidden=True)
    def _(ctx):
        if ctx.answers["n"] >= 100:
            fail("too big")
    return cs


def test_checks_pass_fail_crash_and_hidden():
    cs = _checkset()
    res = cs.run(Context(None, None, {}, {"n": 3}))
    assert [(r.check_id, r.passed) for r in res] == [("q1", True), ("q2", False)]
    res = cs.run(Context(None, None, {}, {}), include_hidden=True)
    assert [r.passed for r in res] == [False, False, False]
    assert res[0].message == "n is not positive yet" and not res[0].crashed
    assert res[1].crashed and "KeyError" in res[1].message  # a crash is reported, not raised
    learner_side = cs.run(Context(None, None, {}, {}))
    assert learner_side[1].crashed and "KeyError" not in learner_side[1].message  # no internals


def test_after_gates_checks_that_an_untouched_lab_would_pass():
    cs = CheckSet("lab00")
    cs.check("q1", "n set")(lambda ctx: None if ctx.answers.get("n") else fail("no n"))
    cs.check("q2", "nothing broke", after=("q1",))(lambda ctx: None)
    cs.check("q3", "nothing else", after_any=("q1", "q2"))(lambda ctx: None)
    assert [r.passed for r in cs.run(Context(None, None, {}, {}))] == [False, False, False]
    assert [r.passed for r in cs.run(Context(None, None, {}, {"n": 1}))] == [True, True, True]
    with pytest.raises(ValueError, match="unknown"):
        cs.check("q4", "x", after=("q9",))


def test_report_text_is_honest_about_hidden_checks():
    cs = _checkset()
    res = tuple(cs.run(Context(None, None, {}, {"n": 4})))
    rep = Report("lab00", "alice", "Numbers", res, (("q3", 3.0, "robustness"),))
    text = render_text(rep)
    assert "All public checks passed" in text
    assert "1 hidden check(s) worth 3 point(s) run only at grading (about: robustness)" in text
    assert "All checks passed" not in text
    # one maximum, not two: the public points are a part of the lab's total (issue 18)
    assert "alice): 3/3 public points of the lab's 6 (the other 3 at grading)" in text
    assert rep.score == 3 and rep.max_score == 3
    html = render_html(rep)
    assert "lab00.q1" in html and "hidden" in html.lower()


def test_report_names_each_failing_check_with_its_hint():
    res = tuple(_checkset().run(Context(None, None, {}, {"n": 3})))
    text = render_text(Report("lab00", "alice", "Numbers", res))
    assert "FAIL lab00.q2  0/1  n is even" in text and "-> n is odd" in text
    assert "PASS lab00.q1  2/2" in text


def test_report_round_trips_through_dict():
    res = tuple(_checkset().run(Context(None, None, {}, {"n": 3}), include_hidden=True))
    rep = Report("lab00", "alice", "Numbers", res)
    assert Report.from_dict(json.loads(json.dumps(rep.to_dict()))) == rep


def test_duplicate_check_ids_are_refused():
    cs = CheckSet("lab00")
    cs.check("q1", "x")(lambda ctx: None)
    with pytest.raises(ValueError, match="lab00.q1"):
        cs.check("q1", "y")(lambda ctx: None)


def test_check_result_points():
    r = CheckResult("lab00", "q1", "t", 2.0, False, "m", False, "item")
    assert r.points_awarded == 0 and r.qualified_id == "lab00.q1"


# --- lab-state files --------------------------------------------------------------------------
def _state(**over):
    s = {"format": "vmotion-lab-state", "schema_version": 2, "courseware_version": "0.1.0",
         "lab": "lab01", "lab_version": 1, "learner": "alice", "course": "c",
         "saved_at": "2025-01-01T00:00:00Z", "operations": []}
    s.update(over)
    return s


@pytest.mark.parametrize("change, kind, field", [
    ({"format": "other"}, "malformed", "format"),
    ({"schema_version": 99}, "version", "schema_version"),
    ({"schema_version": "1"}, "malformed", "schema_version"),
    ({"operations": {}}, "malformed", "operations"),
    ({"schema_version": 1}, "version", "sealed snapshot"),
])
def test_parse_state_names_the_problem(change, kind, field):
    with pytest.raises(StateError) as exc:
        parse_state({**_state(), **change})
    assert exc.value.kind == kind and field in str(exc.value)


def test_read_submission_handles_broken_files(tmp_path):
    (tmp_path / "a.json").write_text("{not json")
    (tmp_path / "b.json").write_bytes(b"\xff\xfe\x00")
    (tmp_path / "c.json").write_text("[" * 100000 + "]" * 100000)
    for name, kind in (("a.json", "malformed"), ("b.json", "malformed"), ("c.json", "limit"),
                       ("missing.json", "malformed")):
        with pytest.raises(StateError) as exc:
            read_submission(tmp_path / name)
        assert exc.value.kind == kind


def test_state_extracted_from_executed_notebook(tmp_path):
    s = _state()
    nb = {"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [
        {"cell_type": "code", "source": "", "metadata": {}, "execution_count": 1,
         "outputs": [{"output_type": "display_data", "metadata": {},
                      "data": {"text/plain": "old", STATE_MIME: {**s, "learner": "old"}}}]},
        {"cell_type": "code", "source": "", "metadata": {}, "execution_count": 2,
         "outputs": [{"output_type": "execute_result", "metadata": {}, "execution_count": 2,
                      "data": {"text/plain": "saved", STATE_MIME: s}}]}]}
    path = write_atomic(tmp_path / "alice.ipynb", json.dumps(nb))
    assert read_submission(path) == s  # the last saved state wins
    nb["cells"][1]["outputs"] = []
    nb["cells"][0]["outputs"] = []
    with pytest.raises(StateError, match="no saved lab state"):
        state_from_notebook(nb)


# --- student edition transforms ---------------------------------------------------------------
def test_strip_solutions_keeps_indent_and_other_code():
    src = "a = 1\n    ### BEGIN SOLUTION\n    b = 2\n    ### END SOLUTION\nc = 3\n"
    assert strip_solutions(src) == "a = 1\n    # YOUR CODE HERE\nc = 3\n"


def test_clear_outputs():
    nb = {"cells": [{"cell_type": "code", "outputs": [1], "execution_count": 3, "source": ""}]}
    out = clear_outputs(nb)
    assert out["cells"][0]["outputs"] == [] and out["cells"][0]["execution_count"] is None
    assert nb["cells"][0]["outputs"] == [1]
