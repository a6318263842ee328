"""Bad input to the ``vmotion`` CLI: one ``error: ...`` line naming the flag and what is allowed,
exit 2, never a traceback; exit 1 only for a blocked or failed migration; --json is strict JSON;
a closed stdout pipe ends quietly."""

import json
import os
import subprocess
import sys

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vmotion_core.cli import main

VMOTION = os.path.join(os.path.dirname(sys.executable), "vmotion")
CMD = [VMOTION] if os.path.exists(VMOTION) else [sys.executable, "-m", "vmotion_core.cli"]


def _run(capsys, argv):
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def _usage_error(code, out, err, *fragments):
    assert code == 2, (code, err)
    assert out == ""
    assert err.startswith("error: ") and err.count("\n") == 1, err
    assert "Traceback" not in err
    for f in fragments:
        assert f in err, (f, err)


def _strict_json(text):
    def reject(constant):
        raise ValueError(f"{constant} is not JSON")
    return json.loads(text, parse_constant=reject)


# --- simulate: every flag, wrong types, ranges, units --------------------------------------

SIMULATE_BAD = [
    (["--memory"], "--memory", "expected one argument"),
    (["--memory", "abc"], "--memory", "16GiB"),
    (["--memory", "16XB"], "--memory", "GiB"),
    (["--memory", "16GiB/s"], "--memory", "unknown size unit"),
    (["--memory=-1GiB"], "--memory", "negative"),
    (["--memory", "-1GiB"], "--memory", "--memory=VALUE"),
    (["--memory", "0"], "--memory", "1 MiB and 24 TiB"),
    (["--memory", "100TiB"], "--memory", "'100TiB'"),
    (["--memory", "1e400GiB"], "--memory", "too large"),
    (["--memory", "1e400"], "--memory", "too large"),
    (["--memory", "nan"], "--memory", "not a size"),
    (["--memory", "1MiB", "--page-size", "2MiB"], "--memory", "page"),
    (["--dirty-rate", "500MiB"], "--dirty-rate", "MiB/s"),
    (["--dirty-rate", "500furlongs/s"], "--dirty-rate", "unknown rate unit"),
    (["--dirty-rate", "2TiB/s"], "--dirty-rate", "1 TiB/s"),
    (["--dirty-rate", "1e400MiB/s"], "--dirty-rate", "too large"),
    (["--bandwidth", "10"], "--bandwidth", "bytes/s"),
    (["--bandwidth", "10Gbit"], "--bandwidth", "Gbit/s"),
    (["--bandwidth", "0Gbit/s"], "--bandwidth", "0.01 and 800"),
    (["--workload", "phased"], "--workload", "uniform"),
    (["--hot-fraction", "0"], "--hot-fraction", "above 0"),
    (["--hot-fraction", "150%"], "--hot-fraction", "100%"),
    (["--hot-fraction", "10x"], "--hot-fraction", "%"),
    (["--hot-share=-1"], "--hot-share", "negative"),
    (["--streams", "0"], "--streams", "between 1 and 16"),
    (["--streams", "1.5"], "--streams", "int"),
    (["--streams", "99999999999999999999999"], "--streams", "between 1 and 16"),
    (["--policy", "hyperv"], "--policy", "vmotion"),
    (["--goal", "0"], "--goal", "above 0"),
    (["--goal", "10parsecs"], "--goal", "ms"),
    (["--goal", "1e400s"], "--goal", "too large"),
    (["--downtime-limit", "0ms"], "--downtime-limit", "above 0"),
    (["--max-rounds", "0"], "--max-rounds", "between 1 and"),
    (["--max-rounds", "x"], "--max-rounds", "int"),
    (["--page-size", "8KiB"], "--page-size", "4KiB or 2MiB"),
    (["--page-size", "1e400KiB"], "--page-size", "too large"),
    (["--page-size", "1e308KiB"], "--page-size", "too large"),
    (["--memory", "1e308TiB"], "--memory", "too large"),
    (["--efficiency", "5%"], "--efficiency", "10% to 100%"),
    (["--efficiency", "200%"], "--efficiency", "100%"),
    (["--rtt", "5s"], "--rtt", "1000 ms"),
    (["--rtt", "nan"], "--rtt", "500ms"),
    (["--concurrent", "0"], "--concurrent", "between 1 and 128"),
    (["--checkpoint", "100GiB"], "--checkpoint", "65536 MiB"),
    (["--checkpoint", "1e400MiB"], "--checkpoint", "too large"),
    (["--resume", "1h"], "--resume", "'1h'"),
    (["--seed", "-1"], "--seed", "whole number"),
    (["--seed", "99999999999999999999999"], "--seed", "whole number"),
    (["--seed", "1.5"], "--seed", "int"),
    (["--bogus"], "unrecognized arguments", "--bogus"),
    (["extra"], "unrecognized arguments", "extra"),
]


@pytest.mark.parametrize("argv, flag, allowed", SIMULATE_BAD, ids=[" ".join(a) for a, *_ in SIMULATE_BAD])
def test_simulate_bad_flags(capsys, argv, flag, allowed):
    _usage_error(*_run(capsys, ["simulate", *argv]), flag, allowed)


def test_no_or_unknown_command(capsys):
    _usage_error(*_run(capsys, []), "COMMAND")
    _usage_error(*_run(capsys, ["teleport"]), "invalid choice", "simulate")


# --- scenario files: missing, folder, empty, binary, not YAML, wrong shape -----------------

@pytest.fixture
def files(tmp_path):
    (tmp_path / "bad.yaml").write_text("a: [1,\n")
    (tmp_path / "empty.yaml").write_text("")
    (tmp_path / "binary.yaml").write_bytes(b"\xff\xfe\x00bin")
    (tmp_path / "list.yaml").write_text("- 1\n- 2\n")
    (tmp_path / "folder.yaml").mkdir()
    (tmp_path / "fields.yaml").write_text("schema_version: 1\nname: x\nhosts: 5\nvms: [{name: 3}]\n")
    (tmp_path / "minimal.yaml").write_text("schema_version: 1\nname: x\n")
    return tmp_path


SCENARIO_FILES = [
    ("nope", "no built-in scenario"),
    ("missing.yaml", "no built-in scenario and no file"),
    ("folder.yaml", "is a folder"),
    ("empty.yaml", "empty file"),
    ("binary.yaml", "cannot read the file"),
    ("bad.yaml", "not valid YAML"),
    ("list.yaml", "top level must be a mapping"),
    ("fields.yaml", "hosts: must be a list"),
]


@pytest.mark.parametrize("name, fragment", SCENARIO_FILES)
def test_scenario_validate_lists_problems_without_traceback(capsys, files, name, fragment):
    path = name if name == "nope" else str(files / name)
    for action in ("validate", "show"):
        code, out, err = _run(capsys, ["scenario", action, path])
        assert code == 2 and out == "" and "Traceback" not in err
        lines = err.splitlines()
        assert all(line.startswith(f"{path}: ") for line in lines), err
        assert lines[-1].endswith("problem(s)") and fragment in err


@pytest.mark.parametrize("name, fragment", SCENARIO_FILES)
@pytest.mark.parametrize("command", [["check", "--vm", "web01", "--to", "esx-02"],
                                     ["migrate", "--vm", "web01", "--to", "esx-02"],
                                     ["evacuate", "--host", "esx-01"]])
def test_bad_scenario_for_check_migrate_evacuate_is_one_line(capsys, files, command, name,
                                                              fragment):
    path = name if name == "nope" else str(files / name)
    _usage_error(*_run(capsys, [command[0], path, *command[1:]]), path, fragment)


def test_unreadable_scenario_file(capsys, files, monkeypatch):
    from vmotion_core.inventory import scenario as scenario_module

    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")
    monkeypatch.setattr(scenario_module, "open", refuse, raising=False)
    path = str(files / "minimal.yaml")
    _usage_error(*_run(capsys, ["check", path, "--vm", "web01", "--to", "esx-02"]),
                 path, "cannot read the file", "Permission denied")


def test_valid_but_empty_scenario_names_the_missing_vm(capsys, files):
    _usage_error(*_run(capsys, ["check", str(files / "minimal.yaml"), "--vm", "web01",
                                "--to", "esx-02"]), "--vm", "unknown vm 'web01'")


# --- check / migrate / evacuate: names, pairs, choices --------------------------------------

REQUEST_BAD = [
    ([], "--vm", "required"),
    (["--vm", "nope", "--to", "esx-02"], "--vm", "known: app01"),
    (["--vm", "web01", "--to", "nope"], "--to", "known: cl-prod"),
    (["--vm", "web01"], "--to", "give a target"),
    (["--vm", "web01", "--to", "esx-01"], "--to", "nothing to migrate"),
    (["--vm", "web01", "--datastore", "nope"], "--datastore", "known: esx-01-local"),
    (["--vm", "web01", "--to", "esx-02", "--network", "foo"], "--network", "SRC=DST"),
    (["--vm", "web01", "--to", "esx-02", "--network", "a=b"], "--network", "its networks"),
    (["--vm", "web01", "--to", "esx-02", "--disk", "=y"], "--disk", "SRC=DST"),
    (["--vm", "web01", "--to", "esx-02", "--disk", "x=y"], "--disk", "Hard disk 1"),
    (["--vm", "web01", "--to", "esx-02", "--priority", "urgent"], "--priority", "regular"),
    (["--vm", "web01", "--to", "esx-02", "--encrypted-vmotion", "maybe"],
     "--encrypted-vmotion", "opportunistic"),
    (["--vm"], "--vm", "expected one argument"),
]


@pytest.mark.parametrize("command", ["check", "migrate"])
@pytest.mark.parametrize("argv, flag, allowed", REQUEST_BAD,
                         ids=[" ".join(a) or "none" for a, *_ in REQUEST_BAD])
def test_check_and_migrate_bad_requests(capsys, command, argv, flag, allowed):
    _usage_error(*_run(capsys, [command, "healthy-cluster", *argv]), flag, allowed)


@pytest.mark.parametrize("argv, flag, allowed", [
    (["--seed", "x"], "--seed", "int"),
    (["--seed", "-5"], "--seed", "whole number"),
    (["--seed", "99999999999999999999999"], "--seed", "whole number"),
])
def test_migrate_bad_seed(capsys, argv, flag, allowed):
    _usage_error(*_run(capsys, ["migrate", "healthy-cluster", "--vm", "web01", "--to", "esx-02",
                                *argv]), flag, allowed)


@pytest.mark.parametrize("argv, flag, allowed", [
    ([], "--host", "required"),
    (["--host", "nope"], "--host", "known: esx-01, esx-02"),
    (["--host", "esx-01", "--target", "nope"], "--target", "unknown host 'nope'"),
    (["--host", "esx-01", "--target", "esx-01"], "--target", "allowed: esx-02"),
    (["--host", "esx-01", "--seed", "-1"], "--seed", "whole number"),
    (["--host", "esx-01", "--seed", "many"], "--seed", "int"),
])
def test_evacuate_bad_flags(capsys, argv, flag, allowed):
    _usage_error(*_run(capsys, ["evacuate", "healthy-cluster", *argv]), flag, allowed)


@pytest.mark.parametrize("argv, fragment", [
    (["--case", "V99"], "V13"),
    (["--case", ","], "empty case id"),
    (["--backend", "gpu"], "cython"),
    (["--brief", "--case"], "expected one argument"),
])
def test_validate_bad_flags(capsys, argv, fragment):
    _usage_error(*_run(capsys, ["validate-model", *argv]), argv[0] if argv[0] != "--brief" else "--case",
                 fragment)


def test_scenario_show_flags(capsys):
    _usage_error(*_run(capsys, ["scenario", "show", "healthy-cluster", "--yaml", "--json"]),
                 "--json", "not allowed with")
    _usage_error(*_run(capsys, ["scenario"]), "ACTION")
    _usage_error(*_run(capsys, ["scenario", "show"]), "NAME_OR_FILE")


# --- exit 1 only for blocked / failed outcomes; --json is strict JSON -----------------------

@pytest.mark.parametrize("argv, code", [
    (["simulate", "--memory", "1GiB", "--dirty-rate", "300MiB/s", "--json"], 0),
    (["simulate", "--memory", "4GiB", "--workload", "hotset", "--hot-fraction", "50%",
      "--hot-share", "100%", "--dirty-rate", "1GiB/s", "--bandwidth", "100Mbit/s", "--no-sdps",
      "--json"], 1),
    (["simulate", "--memory", "1GiB", "--dirty-rate", "2GiB/s", "--policy", "qemu", "--json"], 1),
    (["scenario", "show", "long-distance", "--json"], 0),
    (["check", "healthy-cluster", "--vm", "web01", "--to", "esx-02", "--json"], 0),
    (["migrate", "healthy-cluster", "--vm", "web01", "--to", "esx-02", "--json"], 0),
    (["evacuate", "blocking-devices", "--host", "esx-61", "--json"], 1),
    (["validate-model", "--case", "V1", "--json"], 0),
])
def test_json_output_is_strict_json(capsys, argv, code):
    got, out, err = _run(capsys, argv)
    assert got == code and err == ""
    assert isinstance(_strict_json(out), dict)


# --- subprocess: the installed console script ----------------------------------------------

def _proc(args, **kw):
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    return subprocess.run(CMD + args, capture_output=True, text=True, timeout=120, env=env, **kw)


@pytest.mark.parametrize("args, fragment", [
    (["simulate", "--memory", "1e400GiB"], "--memory"),
    (["check", "nope", "--vm", "web01", "--to", "esx-02"], "nope"),
    (["migrate", "healthy-cluster", "--vm", "nope", "--to", "esx-02"], "--vm"),
    (["evacuate"], "--host"),
])
def test_console_script_usage_errors(args, fragment):
    p = _proc(args)
    assert p.returncode == 2 and p.stdout == ""
    assert p.stderr.startswith("error: ") and p.stderr.count("\n") == 1 and fragment in p.stderr


def test_closed_pipe_ends_quietly():
    """`vmotion ... | head`: the reader is gone before the output is flushed."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    for args in (["scenario", "list"], ["simulate", "--memory", "256MiB", "--json"]):
        read_end, write_end = os.pipe()
        os.close(read_end)  # nobody will ever read
        p = subprocess.run(CMD + args, stdout=write_end, stderr=subprocess.PIPE, text=True,
                           timeout=120, env=env)
        os.close(write_end)
        assert p.returncode == 0, p.stderr
        assert p.stderr == "", p.stderr  # no "Exception ignored ... BrokenPipeError"


# --- fuzz: main() returns 0/1/2 for any argument list and never raises -----------------------

_WORDS = ["simulate", "scenario", "check", "migrate", "evacuate", "list", "show", "validate",
          "validate-model",
          "healthy-cluster", "nope", "web01", "esx-02", "--vm", "--to", "--host", "--target",
          "--memory", "--dirty-rate", "--bandwidth", "--streams", "--seed", "--json", "--yaml",
          "--goal", "--page-size", "--network", "--disk", "--workload", "--policy", "--case",
          "256MiB", "1GiB", "-1", "0", "1e400", "nan", "x=y", "=", "", "V99", "10Gbit/s",
          "500ms", "2MiB", "hotset", "qemu", "--", "-", "--help"]
_COMMANDS = st.sampled_from([["simulate", "--memory", "256MiB"], ["scenario"], ["check"],
                             ["migrate"], ["evacuate"], ["validate-model", "--case", "V0"],
                             ["validate", "--case", "V0"], []])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(head=_COMMANDS, tail=st.lists(st.one_of(st.sampled_from(_WORDS), st.text(max_size=6)),
                                     max_size=6))
def test_main_never_raises(capsys, head, tail):
    argv = head + tail
    first = next((w for w in argv if w in ("validate", "validate-model")), None)
    if first and "--case" not in argv[argv.index(first):]:
        argv = argv + ["--case", "V0"]  # running every validation case is not a fuzz step
    try:
        code = main(argv)
    except SystemExit as exc:  # --help / --version print and exit 0, as argparse does
        assert exc.code == 0
        capsys.readouterr()
        return
    out, err = capsys.readouterr()
    assert code in (0, 1, 2), argv
    assert "Traceback" not in err
    if code == 2 and not (argv[:2] == ["scenario", "validate"] or argv[:2] == ["scenario", "show"]):
        assert err.startswith("error: ") and err.count("\n") == 1, (argv, err)
