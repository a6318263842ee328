"""How a measured value is judged: printed-table tolerances, operators, JSON."""

import json
import math

import pytest

from vmotion_core.validation.expectation import Expectation, printed


@pytest.mark.parametrize("text, value, half", [("9.544", 9.544, 0.0005), ("17", 17.0, 0.5),
                                               ("1,193,034,541", 1193034541.0, 0.5),
                                               ("12.5", 12.5, 0.05), ("0.09", 0.09, 0.005)])
def test_printed(text, value, half):
    assert printed(text) == (value, pytest.approx(half))


def test_approx_inside_and_outside():
    c = Expectation("p", "t", 10.0, abs_tol=0.1, rel_tol=0.01)  # slack 0.2
    assert c.judge(10.2).passed and c.judge(9.8).passed
    assert c.judge(10.21).status == "FAIL" and c.judge(9.79).status == "FAIL"
    assert c.judge(10.21).deviation == pytest.approx(0.21)


def test_eq_le_ge_range():
    assert Expectation("p", "n", 5, op="eq").judge(5).passed
    assert not Expectation("p", "n", 5, op="eq").judge(6).passed
    assert not Expectation("p", "s", "failed", op="eq").judge("switched-over").passed
    assert Expectation("p", "d", 300.0, op="le").judge(299.9).passed
    assert not Expectation("p", "d", 300.0, op="le").judge(300.1).passed
    assert Expectation("p", "s", 0.5, op="ge").judge(0.5).passed
    assert not Expectation("p", "s", 0.5, op="ge").judge(0.49).passed
    r = Expectation("p", "x", (1.0, 10.0), op="range")
    assert r.judge(1.0).passed and r.judge(10.0).passed and not r.judge(10.5).passed


def test_missing_or_nan_measurement_fails():
    c = Expectation("p", "t", 1.0, abs_tol=1.0)
    assert c.judge(None).status == "FAIL"
    assert c.judge(math.nan).status == "FAIL"


def test_bad_expectations_are_rejected():
    with pytest.raises(ValueError, match="op must be one of"):
        Expectation("p", "t", 1.0, op="about")
    with pytest.raises(ValueError, match="mark must be one of"):
        Expectation("p", "t", 1.0, mark="[X]")
    with pytest.raises(ValueError, match="range expectation needs"):
        Expectation("p", "t", 1.0, op="range")


def test_tolerance_text_and_json():
    assert Expectation("p", "t", 1.0, abs_tol=0.5).tolerance_text() == "±0.5"
    assert Expectation("p", "t", 1.0, rel_tol=0.2).tolerance_text() == "±20 %"
    assert Expectation("p", "t", 1, op="eq").tolerance_text() == "exact"
    d = Expectation("p", "t", (1.0, 2.0), op="range").judge(1.5).to_dict()
    assert json.loads(json.dumps(d))["expected"] == [1.0, 2.0]
    assert d["status"] == "pass" and d["point"] == "p"


def test_old_names_stay_as_aliases():
    from vmotion_core import validation
    verdict = Expectation("p", "t", 1.0).judge(1.0)
    assert verdict.check is verdict.expectation
    case = validation.CASES["V1"]
    assert case.checks is case.expectations and case.to_dict()["checks"]
