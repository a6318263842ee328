"""Late failures: errors only the simulator sees (``vcenter_checks=False``) let the task start
("Compatibility checks succeeded.") and fail later, at the stage, progress and with the error
text the rule catalogue takes from the fact sheet; the VM stays on the source. Errors vCenter's
pre-check reports still stop the task before it starts; warnings never block."""

import json

import pytest

from vmotion_core.migration.timeline import CHECK_S, PREPARE_S, STALL_S
from vmotion_core.cli import main
from vmotion_core.compat import RULES, check_migration
from vmotion_core.compat.rules import LATE_STAGES
from vmotion_core.inventory import load_scenario
from vmotion_core.migration import LateFailure, MigrationRequest as R, migrate

H = "healthy-cluster"
COLD_COPY = R("test01", target="esx-01", datastore="esx-01-local")


def _h12():
    return load_scenario(H).set_host("esx-02", blocked_tcp_ports=[8000]), R("web01", target="esx-02")


def _h12b():
    return load_scenario(H).set_host("esx-01", blocked_tcp_ports=[902]), COLD_COPY


def _n1():
    return load_scenario("broken-vmotion-network"), R("app41", target="esx-43")


def _n1_routed():
    return load_scenario("routed-vmotion-stack"), R("k8s-node01", target="esx-73")


def _n1_shared_nothing():  # the disk copy of a shared-nothing move goes over the vMotion network
    env = load_scenario(H).set_vmknic("esx-02", "vmk1", ip="10.0.51.12")
    return env, R("web01", target="esx-02", datastore="esx-02-local")


def _n1b():
    env = (load_scenario(H)
           .add_vmknic("esx-01", ip="10.0.70.11", port_group="vMotion", services=("provisioning",))
           .add_vmknic("esx-02", ip="10.0.71.12", port_group="vMotion", services=("provisioning",)))
    return env, COLD_COPY


def _n5b():
    # both vMotion vmknics at 9000 (they agree, so no N5a warning), physical ports at 1500
    env = (load_scenario("broken-vmotion-network").set_switch("vSwitch1", host="esx-41", mtu=9000)
           .set_vmknic("esx-41", "vmk1", mtu=9000))
    return env, R("app41", target="esx-45")


# rule id, builder, phase the task stops in
CASES = [
    ("H12", _h12, "pre-copy"),
    ("H12b", _h12b, "disk copy"),
    ("N1", _n1, "pre-copy"),
    ("N1", _n1_routed, "pre-copy"),
    ("N1", _n1_shared_nothing, "disk copy"),
    ("N1b", _n1b, "disk copy"),
    ("N5b", _n5b, "pre-copy"),
]


def test_every_late_rule_has_a_case():
    # LM4 is decided by the pre-copy engine (test_lm4_late_failure); every other rule with a
    # late-failure stage must be triggered here
    late = {rid for rid, r in RULES.items() if r.late_failure} - {"LM4"}
    assert late == {rid for rid, _, _ in CASES}


def test_catalogue_late_fields_follow_the_fact_sheet():
    n1, n1b, h12b, n5 = RULES["N1"], RULES["N1b"], RULES["H12b"], RULES["N5b"]
    assert (n1.fails_at, n1.fails_at_percent) == ("vmotion-transfer", 10)  # §2.3 N1, §5 T3
    assert n1.runtime_message == ("A general system error occurred: Failed waiting for data. "
                                  "Error 16. Invalid argument")
    assert "1003734" in n1.runtime_source
    for r in (n1b, h12b):  # §5 T19, KB 340170
        assert (r.fails_at, r.fails_at_percent, r.runtime_message) == ("nfc-copy", 23,
                                                                        "Cannot connect to host.")
        assert r.runtime_source == "KB 340170"
    assert n5.fails_at_percent is None and "417889" in n5.runtime_source  # KB gives no figure
    assert "connection timed out" in n5.runtime_message and "lost connection to peer" in n5.runtime_message
    for r in RULES.values():
        if r.late_failure:
            assert not r.vcenter_checks and r.severity == "error" and r.fails_at in LATE_STAGES
        elif r.vcenter_checks:
            assert r.fails_at is None and r.fails_at_percent is None


@pytest.mark.parametrize("rule_id, build, phase", CASES,
                         ids=[f"{c[0]}-{c[1].__name__}" for c in CASES])
def test_late_failure_starts_then_fails(rule_id, build, phase):
    env, req = build()
    findings = check_migration(env, req)
    errors = [f for f in findings if f.severity == "error"]
    assert [f.rule_id for f in errors] == [rule_id] and not errors[0].vcenter_checks
    rule = RULES[rule_id]
    source_host = env.vm(req.vm).host

    r = migrate(env, req, seed=3)
    assert not r.ok and r.started
    lf = r.failed_at
    assert isinstance(lf, LateFailure)
    assert (lf.rule_id, lf.code, lf.stage, lf.phase, lf.percent) == (
        rule_id, rule.code, rule.fails_at, phase, rule.fails_at_percent)
    assert lf.message == rule.runtime_message == r.reason
    assert lf.finding == errors[0] and lf.finding in r.findings
    # the VM stays where it was; nothing was switched over
    assert r.environment is env and r.environment.vm(req.vm).host == source_host
    assert r.stun_ms == 0 and r.precopy is None
    # timeline: check, preparation, [disk copy], then the stalled phase that times out
    names = [p.name for p in r.phases]
    assert names[:2] == ["compatibility check", "preparation"] and names[-1] == phase
    assert r.phases[-1].duration_s == STALL_S and lf.t_s == pytest.approx(r.total_s)
    assert r.total_s >= CHECK_S + PREPARE_S + STALL_S
    # log: vCenter's check passes and never names the simulator-only rule
    log = r.log_lines
    vpxd = [ln for ln in log if " vpxd.log: " in ln]
    assert any(ln.endswith("Compatibility checks succeeded.") for ln in vpxd)
    assert not any(rule.code in ln for ln in log)
    at = f" at {rule.fails_at_percent}%" if rule.fails_at_percent is not None else ""
    fail = [ln for ln in vpxd if f"Task Relocate virtual machine '{req.vm}' failed" in ln]
    assert len(fail) == 1
    assert fail[0].endswith(f"failed{at} ({LATE_STAGES[rule.fails_at]}): {rule.runtime_message} "
                            f"[{rule.runtime_source}]")
    assert log.index(fail[0]) > next(i for i, ln in enumerate(log) if "Compatibility checks" in ln)
    assert vpxd[-1].endswith(f"Virtual machine '{req.vm}' "
                             + ("keeps running on" if r.plan.live else "stays registered on")
                             + f" {source_host}")
    if rule.fails_at_percent is not None:
        assert any(ln.endswith(f"'{req.vm}': {rule.fails_at_percent}% "
                               f"({LATE_STAGES[rule.fails_at]})") for ln in vpxd)
    d = r.to_dict()
    assert d["started"] is True and d["failed_at"]["percent"] == rule.fails_at_percent
    assert d["vm_location"]["host"] == source_host
    json.dumps(d)
    assert migrate(env, req, seed=3).log_lines == log  # deterministic


def test_n1_wording_at_ten_percent():
    env, req = _n1()
    r = migrate(env, req)
    assert r.failed_at.percent == 10
    assert r.reason == "A general system error occurred: Failed waiting for data. Error 16. Invalid argument"
    assert any("vmware.log" in ln and ln.endswith("Migrate: " + r.reason) for ln in r.log_lines)
    text = str(r)
    assert "passed vCenter's compatibility check, then failed at 10% during the vMotion data " \
           "transfer" in text and "KB 1003734/321009" in text and "stays on esx-41" in text


def test_n1_fixed_environment_migrates():
    env, req = _n1()
    r = migrate(env.set_vmknic("esx-43", "vmk1", ip="10.0.50.43"), req)
    assert r.ok and r.failed_at is None and r.environment.vm("app41").host == "esx-43"


def test_precheck_error_still_blocks_before_start():
    env = load_scenario("blocking-devices")
    r = migrate(env, R("web03", target="esx-62"))
    assert not r.ok and not r.started and r.failed_at is None
    assert [p.name for p in r.phases] == ["compatibility check"] and r.total_s == CHECK_S
    assert not any("Compatibility checks succeeded" in ln for ln in r.log_lines)
    assert any("error: CannotAccessVmDevice" in ln for ln in r.log_lines)


def test_precheck_error_wins_over_simulator_only_error():
    env, req = _n1()
    env = env.set_host("esx-43", maintenance_mode=True)  # H11, reported by vCenter
    f = check_migration(env, req)
    assert {x.rule_id for x in f if x.severity == "error"} >= {"H11", "N1"}
    r = migrate(env, req)
    assert not r.started and r.failed_at is None
    assert r.reason.startswith("Host Incompatible with Virtual Machine")
    assert not any("VMotionNetworkUnreachable" in ln for ln in r.log_lines)


def test_simulator_only_warning_never_blocks():
    env = load_scenario(H).set_port_group("vSwitch0", "VM-Prod", host="esx-02", notify_switches=False)
    r = migrate(env, R("web01", target="esx-02"))
    assert r.ok and r.failed_at is None
    assert any(f.rule_id == "N12" and f.severity == "warning" for f in r.findings)
    # vCenter does not report N12, so its panel says the checks succeeded
    assert any(ln.endswith("Compatibility checks succeeded.") for ln in r.log_lines)


def test_unmodelled_simulator_only_error_is_not_run():
    env = load_scenario("long-distance").set_site_link("fra", "nyc", rtt_ms=160)
    r = migrate(env, R("trade01", target="esx-nyc-01", datastore="nyc-vmfs01"))
    assert not r.ok and not r.started and "160 ms" in r.reason
    note = [ln for ln in r.log_lines if ln.startswith("simulator note: ")]
    assert len(note) == 1 and "N11" in note[0] and "pre-check would not stop it" in note[0]
    assert not any("VMotionRttTooHigh" in ln for ln in r.log_lines if " vpxd.log: " in ln)


def test_lm4_late_failure():
    env = (load_scenario(H)
           .set_uplink("esx-01", "vmnic2", speed_mbps=1000).set_uplink("esx-01", "vmnic3", speed_mbps=1000)
           .power_off("db01").set_vm("db01", max_switchover_s=1).power_on("db01"))
    r = migrate(env, R("db01", target="esx-02"))
    assert not r.ok and r.started and r.precopy is not None
    assert (r.failed_at.rule_id, r.failed_at.stage, r.failed_at.phase) == ("LM4", "switchover", "pre-copy")
    assert r.failed_at.message == r.reason and r.reason.startswith("The migration has exceeded")
    assert r.failed_at.percent is None


# --- CLI ------------------------------------------------------------------------------------------

def test_cli_check_marks_simulator_only_and_says_where(capsys):
    rc = main(["check", "broken-vmotion-network", "--vm", "app41", "--to", "esx-43"])
    out = capsys.readouterr().out
    assert rc == 1
    assert "ERROR VMotionNetworkUnreachable (N1)  [simulator-only: vCenter's pre-check would pass]" in out
    assert ("1 error(s) (1 simulator-only), 0 warning(s): vCenter's compatibility check would "
            "pass, but the migration would start and then fail at about 10% during the vMotion "
            "data transfer (N1): A general system error occurred: Failed waiting for data. "
            "Error 16. Invalid argument [KB 1003734/321009]") in out


def test_cli_check_json_vcenter_ok(capsys):
    rc = main(["check", "broken-vmotion-network", "--vm", "app41", "--to", "esx-45", "--json"])
    out = json.loads(capsys.readouterr().out)
    assert rc == 1 and out["ok"] is False and out["vcenter_ok"] is True
    assert "(N5b)" in out["late_failure"] and "KB 417889" in out["late_failure"]
    assert [f["vcenter_checks"] for f in out["findings"] if f["severity"] == "error"] == [False]
    rc = main(["check", "blocking-devices", "--vm", "web03", "--to", "esx-62", "--json"])
    out = json.loads(capsys.readouterr().out)
    assert rc == 1 and out["vcenter_ok"] is False and out["late_failure"] is None


def test_cli_check_blocked_by_vcenter(capsys):
    assert main(["check", "blocking-devices", "--vm", "web03", "--to", "esx-62"]) == 1
    assert "migration blocked by vCenter's compatibility check" in capsys.readouterr().out


def test_cli_migrate_prints_late_failure(capsys):
    rc = main(["migrate", "broken-vmotion-network", "--vm", "app41", "--to", "esx-43"])
    out = capsys.readouterr().out
    assert rc == 1
    assert "Compatibility checks succeeded." in out
    assert "STARTED, THEN FAILED: vCenter's compatibility check passed, then the task failed at " \
           "10% during the vMotion data transfer (pre-copy" in out
    assert "The VM stays on esx-41." in out
    assert "failed at 10% (vMotion data transfer): A general system error occurred" in out


def test_cli_migrate_json_late_failure(capsys):
    rc = main(["migrate", "routed-vmotion-stack", "--vm", "k8s-node01", "--to", "esx-73", "--json"])
    out = json.loads(capsys.readouterr().out)
    assert rc == 1 and out["ok"] is False and out["started"] is True
    assert out["failed_at"]["rule_id"] == "N1" and out["failed_at"]["percent"] == 10
    assert out["vm_location"]["host"] == "esx-71"


def test_cli_migrate_not_started(capsys):
    assert main(["migrate", "blocking-devices", "--vm", "web03", "--to", "esx-62"]) == 1
    assert "NOT STARTED: Unable to migrate from esx-61 to esx-62" in capsys.readouterr().out
