"""`vmotion simulate`: table, one JSON object, exit codes 0/1/2, one-line errors."""

import json
import os
import subprocess
import sys

import pytest

from vmotion_core.cli import main


def _run(capsys, *argv):
    code = main(["simulate", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_json_output_has_totals_rounds_and_backend(capsys, expected_backend):
    code, out, err = _run(capsys, "--memory", "1GiB", "--dirty-rate", "300MiB/s",
                          "--bandwidth", "10Gbit/s", "--seed", "3", "--json")
    assert code == 0 and err == ""
    d = json.loads(out)
    assert out.count("\n") == 1  # exactly one JSON object on one line
    for key in ("total_time_s", "precopy_s", "downtime_ms", "bytes_sent", "page_writes",
                "n_rounds", "converged", "outcome", "policy", "backend", "rounds"):
        assert key in d
    assert d["outcome"] == "switched-over" and d["backend"] == expected_backend
    assert d["config"]["memory_gib"] == 1.0
    assert d["config"]["workload"]["dirty_rate_mibps"] == pytest.approx(300)
    assert d["config"]["link"]["bandwidth_gbps"] == pytest.approx(10)


def test_units_accept_the_usual_spellings(capsys):
    outs = []
    for mem, rate, bw in (("1GiB", "300MiB/s", "10Gbit/s"), ("1 GiB", "300 MiB/s", "10Gbps")):
        code, out, _ = _run(capsys, "--memory", mem, "--dirty-rate", rate, "--bandwidth", bw,
                            "--json")
        outs.append(json.loads(out))
    assert outs[0] == outs[1]
    code, out, _ = _run(capsys, "--memory", "2GB", "--dirty-rate", "0.1GB/s", "--bandwidth",
                        "25000Mbit/s", "--goal", "0.2s", "--json")
    d = json.loads(out)
    assert d["config"]["memory_gib"] == pytest.approx(2e9 / 2**30)
    assert d["config"]["policy"]["goal_ms"] == pytest.approx(200)


def test_all_documented_flags(capsys):
    code, out, _ = _run(capsys, "--memory", "512MiB", "--dirty-rate", "200MiB/s",
                        "--bandwidth", "10Gbit/s", "--workload", "hotset", "--hot-fraction", "10%",
                        "--hot-share", "90%", "--streams", "2", "--policy", "vmotion",
                        "--goal", "500ms", "--no-sdps", "--exact-writes", "--seed", "4", "--json")
    d = json.loads(out)
    c = d["config"]
    assert c["workload"]["kind"] == "hotset" and c["workload"]["hot_fraction"] == 0.1
    assert c["link"]["streams"] == 2 and c["policy"]["sdps"] is False and c["exact_writes"]
    assert c["seed"] == 4
    for policy in ("qemu", "xen"):
        code, out, _ = _run(capsys, "--memory", "256MiB", "--dirty-rate", "100MiB/s",
                            "--policy", policy, "--json")
        assert json.loads(out)["policy"] == policy and code == 0


def test_table_output(capsys):
    code, out, _ = _run(capsys, "--memory", "1GiB", "--dirty-rate", "300MiB/s")
    assert code == 0
    assert "outcome" in out and "switched-over" in out and "round" in out and "stun" in out


def test_failed_migration_exits_1(capsys):
    code, out, _ = _run(capsys, "--memory", "4GiB", "--workload", "hotset", "--hot-fraction",
                        "50%", "--hot-share", "100%", "--dirty-rate", "1GiB/s", "--bandwidth",
                        "100Mbit/s", "--no-sdps", "--json")
    assert code == 1
    d = json.loads(out)
    assert d["outcome"] == "failed" and "maximum switchover time of 100 second(s)" in d["stop_reason"]


@pytest.mark.parametrize("argv, flag, allowed", [
    (["--memory", "30TiB"], "--memory", "1 MiB and 24 TiB"),
    (["--memory", "lots"], "--memory", "16GiB"),
    (["--dirty-rate", "5XB/s"], "--dirty-rate", "MiB/s"),
    (["--bandwidth", "0Gbit/s"], "--bandwidth", "0.01 and 800 Gbit/s"),
    (["--hot-share", "120%"], "--hot-share", "between 0 and 1"),
    (["--hot-fraction", "0%"], "--hot-fraction", "above 0"),
    (["--page-size", "8KiB"], "--page-size", "4KiB or 2MiB"),
    (["--goal", "fast"], "--goal", "500ms"),
    (["--streams", "0"], "--streams", "between 1 and 16"),
    (["--seed", "-1"], "--seed", "whole number"),
    (["--policy", "hyperv"], "--policy", "vmotion"),
    (["--workload", "random"], "--workload", "uniform"),
    (["--streams", "two"], "--streams", "int"),
])
def test_bad_values_one_line_exit_2(capsys, argv, flag, allowed):
    code, out, err = _run(capsys, *argv)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and err.startswith("error: ")
    assert flag in err and allowed in err


def test_console_script_end_to_end():
    exe = os.path.join(os.path.dirname(sys.executable), "vmotion")
    cmd = [exe] if os.path.exists(exe) else [sys.executable, "-m", "vmotion_core.cli"]
    proc = subprocess.run(cmd + ["simulate", "--memory", "16GiB", "--dirty-rate", "500MiB/s",
                                 "--bandwidth", "10Gbit/s", "--json"],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    d = json.loads(proc.stdout)
    assert d["outcome"] == "switched-over" and d["rounds"][0]["pages_sent"] == 4 * 2**20
    bad = subprocess.run(cmd + ["simulate", "--memory", "0B"], capture_output=True, text=True,
                         timeout=120)
    assert bad.returncode == 2 and "Traceback" not in bad.stderr
