"""Hidden checks: lab.yaml declares their points and category, hidden.py their code; they agree.

The student edition has lab.yaml but no hidden.py, so lab.yaml is what the learner side counts
("2 hidden checks worth 3 points run at grading"); the grader runs what hidden.py registers.
"""

import pytest

from vmotion_labs.grading import labmeta
from vmotion_labs.grading.checks import CheckSet
from vmotion_labs.grading.lab import lab_ids, lab_spec


@pytest.mark.parametrize("lab_id", lab_ids())
def test_lab_yaml_and_hidden_py_name_the_same_checks(lab_id):
    spec = lab_spec(lab_id)  # instructor edition: hidden.py is imported
    registered = {c.check_id: (c.points, c.category) for c in spec.checks if c.hidden}
    declared = {cid: (points, category) for cid, points, category in spec.hidden}
    assert declared, f"{lab_id}: lab.yaml declares no hidden check"
    assert registered == declared, f"{lab_id}: hidden.py and lab.yaml disagree"
    assert spec.hidden == labmeta.hidden_checks(lab_id)


def test_a_hidden_check_may_not_restate_its_points():
    cs = CheckSet("lab00", hidden=[("h1", 2, "robustness")])
    with pytest.raises(ValueError, match="declared in lab.yaml"):
        cs.check("h1", "x", points=2, hidden=True)
    with pytest.raises(ValueError, match="declared in lab.yaml"):
        cs.check("h1", "x", category="robustness", hidden=True)
    cs.check("h1", "x", hidden=True)(lambda ctx: None)
    assert (cs.get("h1").points, cs.get("h1").category) == (2.0, "robustness")


def test_a_hidden_check_lab_yaml_does_not_declare_is_refused():
    cs = CheckSet("lab01")  # reads labs/lab01_*/lab.yaml
    with pytest.raises(ValueError, match=r"lab01\.h9 is hidden but lab.yaml"):
        cs.check("h9", "not declared", hidden=True)


def test_public_checks_keep_their_defaults():
    cs = CheckSet("lab00")
    cs.check("q1", "x")(lambda ctx: None)
    assert (cs.get("q1").points, cs.get("q1").category) == (1.0, "outcome")
