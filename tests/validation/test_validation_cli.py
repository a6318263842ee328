"""``vmotion validate-model``: table, brief, JSON, one case, exit codes 0 / 1 / 2."""

import dataclasses
import json

import pytest

from vmotion_core.cli import main
from vmotion_core.validation import cases


def test_all_cases_pass_exit_0(capsys):
    assert main(["validate-model"]) == 0
    out = capsys.readouterr().out
    assert "13 of 13 cases pass" in out
    for case_id in cases.CASE_IDS:
        assert f"\n  {case_id} " in out
    # measured next to expected: V10's SimGrid time for 2048 MiB at 50 %
    line = next(x for x in out.splitlines() if "2048 MiB, 50%" in x and "total_time_s" in x)
    assert "31.984375 s" in line and line.rstrip().endswith("pass")


def test_one_case_and_brief(capsys):
    assert main(["validate-model", "--case", "v3", "--brief"]) == 0
    out = capsys.readouterr().out
    assert "V3" in out and "V1 " not in out and "live_rounds" not in out
    assert "1 of 1 cases pass" in out


def test_several_cases_with_commas(capsys):
    assert main(["validate-model", "--case", "V9,V13", "--case", "V12"]) == 0
    out = capsys.readouterr().out
    assert "3 of 3 cases pass" in out


def test_json(capsys):
    assert main(["validate-model", "--case", "V11", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["passed"] is True and [c["id"] for c in data["cases"]] == ["V11"]
    check = data["cases"][0]["checks"][0]
    assert {"measured", "expected", "tolerance", "mark", "status", "why"} <= set(check)


@pytest.mark.parametrize("argv, text", [(["--case", "V14"], "unknown validation case 'V14'"),
                                        (["--case", ","], "empty case id"),
                                        (["--bogus"], "unrecognized arguments")])
def test_bad_input_exit_2(capsys, argv, text):
    assert main(["validate-model", *argv]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and text in err and err.count("\n") == 1


def test_a_failing_check_exits_1(capsys, monkeypatch):
    case = cases.CASES["V3"]
    wrong = dataclasses.replace(case.expectations[0], expected=case.expectations[0].expected + 1)
    monkeypatch.setitem(cases.CASES, "V3",
                        dataclasses.replace(case, expectations=(wrong,) + case.expectations[1:]))
    assert main(["validate-model", "--case", "V3"]) == 1
    out = capsys.readouterr().out
    assert "FAIL" in out and "failed: V3" in out


def test_old_name_still_works_and_says_it_is_deprecated(capsys):
    assert main(["validate", "--case", "V1", "--brief"]) == 0
    out, err = capsys.readouterr()
    assert "1 of 1 cases pass" in out
    assert "'vmotion validate' is now 'vmotion validate-model'" in err
    assert main(["validate-model", "--case", "V1", "--brief"]) == 0
    assert capsys.readouterr().err == ""
