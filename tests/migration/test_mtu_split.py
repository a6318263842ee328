"""MTU, as vSphere reports it (fact sheet §2.3 N5a/N5b): vMotion vmknics that disagree are a
compatibility *warning* in the wizard (KB 432825) and the task starts; a smaller MTU on a hop of
the path with the vmknics agreeing is invisible to vCenter and fails at run time (KB 417889)."""

from vmotion_core.compat import RULES, check_migration
from vmotion_core.compat.network import ping_payload
from vmotion_core.inventory import load_scenario
from vmotion_core.migration import MigrationRequest as R
from vmotion_core.migration import N5A_NOTE, migrate

REQ = R("app41", target="esx-45")


def _jumbo(env):
    env = env.set_switch("vSwitch1", host="esx-41", mtu=9000).set_vmknic("esx-41", "vmk1", mtu=9000)
    for host in ("esx-41", "esx-45"):
        env = env.set_uplink(host, "vmnic2", physical_mtu=9000)
    return env


def _ids(findings, severity):
    return [f.rule_id for f in findings if f.severity == severity]


def test_vmknics_that_disagree_are_a_wizard_warning_and_the_task_runs():
    env = _jumbo(load_scenario("broken-vmotion-network")).set_vmknic("esx-41", "vmk1", mtu=1500)
    findings = check_migration(env, REQ)
    assert _ids(findings, "error") == [] and _ids(findings, "warning") == ["N5a"]
    f = findings[0]
    assert f.vcenter_checks and f.code == RULES["N5a"].code and "KB 432825" in f.source
    assert f.message.startswith("The source and destination hosts have different vMotion vNIC "
                                "MTU configurations.")
    assert "vmkping -I vmk1 -d -s 8972 10.0.50.45" in f.fix
    r = migrate(env, REQ, seed=1)
    assert r.ok and r.environment.vm("app41").host == "esx-45"
    text = "\n".join(r.log_lines)
    assert "Compatibility checks passed with warnings." in text
    assert f"warning: {f.code}: The source and destination hosts" in text  # vpxd.log shows it
    assert N5A_NOTE in text  # and the simulator says what it leaves out (the crawl)


def test_a_different_tcpip_stack_is_the_same_warning():
    env = _jumbo(load_scenario("broken-vmotion-network"))
    assert _ids(check_migration(env, REQ), "warning") == []
    vmk = env.host("esx-45").vmknic("vmk1")
    env = env.remove_vmknic("esx-45", "vmk1").add_vmknic(
        "esx-45", ip=vmk.ip, port_group=vmk.port_group, mtu=9000, tcpip_stack="vmotion")
    assert "N5a" in _ids(check_migration(env, REQ), "warning")


def test_a_small_hop_with_agreeing_vmknics_passes_vcenter_and_fails_at_run_time():
    env = (load_scenario("broken-vmotion-network").set_switch("vSwitch1", host="esx-41", mtu=9000)
           .set_vmknic("esx-41", "vmk1", mtu=9000))  # physical ports stay at 1500
    findings = check_migration(env, REQ)
    assert _ids(findings, "warning") == [] and _ids(findings, "error") == ["N5b"]
    assert not findings[0].vcenter_checks
    r = migrate(env, REQ, seed=1)
    assert not r.ok and r.started and r.failed_at.rule_id == "N5b"
    assert "Compatibility checks succeeded." in "\n".join(r.log_lines)
    assert r.reason == RULES["N5b"].runtime_message and "417889" in r.failed_at.source
    assert r.environment.vm("app41").host == "esx-41"


def test_the_new_host_at_a_different_mtu_warns_and_then_fails():
    # the shipped scenario: esx-41 all at 1500, esx-45's vmknic and vSwitch at 9000 behind
    # 1500-byte physical ports: the wizard warns (N5a) and the jumbo frames are dropped (N5b)
    env = load_scenario("broken-vmotion-network")
    findings = check_migration(env, REQ)
    assert _ids(findings, "warning") == ["N5a"] and _ids(findings, "error") == ["N5b"]
    r = migrate(env, REQ)
    assert r.started and r.failed_at.rule_id == "N5b"
    assert "Compatibility checks passed with warnings." in "\n".join(r.log_lines)
    assert N5A_NOTE not in "\n".join(r.log_lines)


def test_ping_payload_is_the_mtu_less_ip_and_icmp_headers():
    assert (ping_payload(9000), ping_payload(1500)) == (8972, 1472)
