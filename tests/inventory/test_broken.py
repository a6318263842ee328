"""Every file in broken/ fails to load with the problems its ``# expect:`` lines name, and the CLI
exits 2 listing them (never a traceback)."""

import pathlib

import pytest

from vmotion_core.cli import main
from vmotion_core.errors import ScenarioError
from vmotion_core.inventory import load_scenario

BROKEN = sorted((pathlib.Path(__file__).parent / "broken").glob("*.yaml"))


def _expected(path):
    lines = path.read_bytes().decode("utf-8", "replace").splitlines()
    return [ln.split("# expect: ", 1)[1] for ln in lines if ln.startswith("# expect: ")]


def test_corpus_is_big_enough():
    assert len(BROKEN) >= 30


def test_minimal_base_is_valid():
    env = load_scenario(str(pathlib.Path(__file__).parent / "minimal.yaml"))
    assert env.vm("web01").host == "esx-01"


@pytest.mark.parametrize("path", BROKEN, ids=lambda p: p.stem)
def test_loader_reports_path_and_message(path):
    expected = _expected(path)
    assert expected, f"{path.name} has no '# expect:' line"
    with pytest.raises(ScenarioError) as info:
        load_scenario(str(path))
    problems = info.value.problems
    for exp in expected:
        assert any(exp in p for p in problems), f"{exp!r} not in {problems}"
    assert info.value.source == str(path)


@pytest.mark.parametrize("path", BROKEN, ids=lambda p: p.stem)
def test_cli_validate_exits_2_with_every_problem(path, capsys):
    assert main(["scenario", "validate", str(path)]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err
    for exp in _expected(path):
        assert f"{path}: " in err and exp in err
    assert err.strip().endswith("problem(s)")


def test_many_problems_are_all_listed():
    with pytest.raises(ScenarioError) as info:
        load_scenario(str(pathlib.Path(__file__).parent / "broken" / "many-problems.yaml"))
    assert len(info.value.problems) == 3


def test_unknown_name_and_missing_file(capsys):
    with pytest.raises(ScenarioError, match="built-in: blocking-devices"):
        load_scenario("no-such-scenario")
    assert main(["scenario", "show", "/nonexistent/x.yaml"]) == 2
    assert "no built-in scenario and no file" in capsys.readouterr().err
