"""The hand-in document: what ``Lab.submission`` writes is what ``LabState`` declares and
``parse_state`` reads, and each declared field's check refuses a wrong value by name."""

import dataclasses

import pytest

from vmotion_labs import Lab
from vmotion_labs.grading.state import LabState, StateError, parse_state


def _doc():
    return Lab.open("lab01", learner="alice").submission()


def test_submission_has_exactly_the_declared_fields_and_parses():
    doc = _doc()
    assert list(doc) == [f.name for f in dataclasses.fields(LabState)]
    assert parse_state(doc) is doc


@pytest.mark.parametrize("name, bad, text", [
    ("lab", 3, "must be text, got 3 (int)"),
    ("lab_version", "1", "must be an integer between 0 and"),
    ("lab_version", True, "must be an integer"),
    ("operations", {}, "must be a list, got dict"),
    ("saved_at", None, "must be text"),
])
def test_a_wrong_field_is_named(name, bad, text):
    doc = dict(_doc(), **{name: bad})
    with pytest.raises(StateError) as err:
        parse_state(doc)
    assert err.value.kind == "malformed" and err.value.reason.startswith(f"{name}: ")
    assert text in err.value.reason


def test_a_missing_field_is_named():
    doc = _doc()
    del doc["course"]
    with pytest.raises(StateError, match="course: missing"):
        parse_state(doc)
