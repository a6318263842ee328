"""`vmotion check` / `vmotion migrate`: exit codes 0/1/2 and the JSON shape."""

import json

from vmotion_core.cli import main

FIELDS = {"code", "severity", "message", "object", "fix", "source", "rule_id", "vcenter_checks",
          "api_fault"}


def test_check_ok_json(capsys):
    assert main(["check", "healthy-cluster", "--vm", "web01", "--to", "esx-02", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["ok"] is True and out["migration_type"] == "compute-only" and out["findings"] == []


def test_check_blocked_json_has_all_finding_fields(capsys):
    rc = main(["check", "blocking-devices", "--vm", "web03", "--to", "esx-62", "--json"])
    out = json.loads(capsys.readouterr().out)
    assert rc == 1 and out["ok"] is False
    assert out["findings"] and set(out["findings"][0]) == FIELDS
    assert out["findings"][0]["code"] == "CannotAccessVmDevice"
    assert out["findings"][0]["api_fault"] is True


def test_check_marks_the_simulators_own_names(capsys):
    # N1 has no vSphere API fault (its source says why); H1 is the API's VMotionNotConfigured
    from vmotion_core.commands.check import SIM_NAME_TAG
    main(["check", "broken-vmotion-network", "--vm", "app41", "--to", "esx-43"])
    out = capsys.readouterr().out
    assert f"ERROR VMotionNetworkUnreachable (N1)  [simulator-only: vCenter's pre-check would " \
           f"pass]  {SIM_NAME_TAG}" in out
    main(["check", "broken-vmotion-network", "--vm", "app41", "--to", "esx-43", "--json"])
    codes = {f["rule_id"]: f["api_fault"] for f in json.loads(capsys.readouterr().out)["findings"]}
    assert codes == {"N1": False}
    main(["check", "blocking-devices", "--vm", "web03", "--to", "esx-62"])
    assert SIM_NAME_TAG not in capsys.readouterr().out


def test_check_text_and_network_map(capsys):
    rc = main(["check", "healthy-cluster", "--vm", "web01", "--to", "esx-02",
               "--network", "VM-Prod=VM Prod"])
    out = capsys.readouterr().out
    assert rc == 1 and "CannotAccessNetwork" in out and "migration blocked" in out


def test_check_warnings_only_exit_0(capsys):
    assert main(["check", "linked-vcenters", "--vm", "crm01", "--to", "esx-w01",
                 "--datastore", "ds-west"]) == 0
    assert "NetworksMayNotBeTheSame" in capsys.readouterr().out


def test_bad_input_exit_2(capsys):
    assert main(["check", "healthy-cluster", "--vm", "nope", "--to", "esx-02"]) == 2
    assert main(["check", "no-such-scenario", "--vm", "web01", "--to", "esx-02"]) == 2
    assert main(["check", "healthy-cluster", "--vm", "web01", "--to", "esx-02", "--network", "x"]) == 2
    assert main(["migrate", "healthy-cluster", "--vm", "web01"]) == 2
    err = capsys.readouterr().err
    assert err.count("error:") == 4 and "Traceback" not in err


def test_migrate_text_and_json(capsys):
    assert main(["migrate", "healthy-cluster", "--vm", "web01", "--to", "esx-02"]) == 0
    out = capsys.readouterr().out
    assert "pre-copy" in out and "Stopping pre-copy" in out and "vmkernel.log" in out
    assert main(["migrate", "healthy-cluster", "--vm", "web01", "--to", "esx-02", "--json"]) == 0
    d = json.loads(capsys.readouterr().out)
    assert d["ok"] and d["vm_location"]["host"] == "esx-02" and d["phases"] and d["log_lines"]
    assert main(["migrate", "blocking-devices", "--vm", "web03", "--to", "esx-62", "--json"]) == 1
    d = json.loads(capsys.readouterr().out)
    assert d["ok"] is False and d["vm_location"]["host"] == "esx-61"
