"""Built-in scenarios: all present, valid, round-trip through dump, and say what they teach."""

import json

import pytest

from vmotion_core.cli import main
from vmotion_core.inventory import (Environment, dump_scenario, list_scenarios, load_scenario,
                                    load_scenario_text, scenario_from_dict)
from vmotion_core.inventory.products import version_tuple

CONTRACT = ["healthy-cluster", "no-shared-storage", "linked-vcenters", "long-distance",
            "mixed-cpu-evc", "broken-vmotion-network", "blocking-devices", "routed-vmotion-stack"]
NAMES = [n for n, _ in list_scenarios()]


def test_contract_names_exist():
    assert set(CONTRACT) <= set(NAMES)


@pytest.mark.parametrize("name", NAMES)
def test_builtin_loads_and_round_trips(name):
    env = load_scenario(name)
    assert isinstance(env, Environment) and env.name == name
    assert env.story and len(env.story) < 160
    text = dump_scenario(env)
    again = load_scenario_text(text, "dump")
    assert again == env
    assert dump_scenario(again) == text  # the dump is stable
    assert scenario_from_dict(json.loads(json.dumps(env.to_dict()))) == env  # JSON-safe


@pytest.mark.parametrize("name", NAMES)
def test_builtin_is_small_and_plausible(name):
    env = load_scenario(name)
    assert 2 <= len(env.hosts) <= 8 and 1 <= len(env.vms) <= 15
    for v in (*env.vcenters, *env.hosts):
        assert version_tuple(v.version)[:2] in ((7, 0), (8, 0))  # vSphere 7/8 only
    for h in env.hosts:
        for vmk in h.vmknics:  # RFC 1918 addresses only
            assert vmk.ip.startswith(("10.", "192.168.", "172.16.")), vmk.ip
    for lk in env.site_links:
        assert lk.rtt_ms <= 150  # long-distance vMotion limit (vmotion-facts.md §1.8, N11)


def test_round_trip_keeps_changes():
    env = load_scenario("healthy-cluster").set_vmknic("esx-02", "vmk1", mtu=9000)
    again = load_scenario_text(dump_scenario(env))
    assert again == env and again.changes == env.changes == ("esx-02 vmk1: mtu 1500 -> 9000",)


def test_scenario_shapes():
    assert len(load_scenario("linked-vcenters").vcenters) == 2
    assert all(vc.enhanced_linked_mode for vc in load_scenario("linked-vcenters").vcenters)
    ld = load_scenario("long-distance")
    assert ld.rtt_ms("esx-fra-01", "esx-nyc-01") == 85
    nss = load_scenario("no-shared-storage")
    assert not any(len(d.hosts) > 1 for d in nss.datastores)
    mixed = load_scenario("mixed-cpu-evc")
    assert {h.cpu_generation for h in mixed.hosts_in("cl-mixed")} == {"intel-skylake", "intel-icelake"}
    routed = load_scenario("routed-vmotion-stack")
    assert all(v.tcpip_stack == "vmotion" for h in routed.hosts for v in h.vmknics if v.name == "vmk1")
    assert routed.host("esx-73").stack_gateway("vmotion") is None
    broken = load_scenario("broken-vmotion-network")
    assert broken.vmknic("esx-42", "vmk1").services == ()
    assert not broken.host("esx-46").uplink("vmnic2").link_up


def test_cli_list_and_show(capsys):
    assert main(["scenario", "list"]) == 0
    out = capsys.readouterr().out
    assert all(n in out for n in CONTRACT)
    assert main(["scenario", "show", "healthy-cluster"]) == 0
    out = capsys.readouterr().out
    assert "host esx-01" in out and "vmk1  10.0.50.11/24  vMotion (vlan 50)" in out
    assert main(["scenario", "show", "blocking-devices", "--yaml"]) == 0
    assert load_scenario_text(capsys.readouterr().out) == load_scenario("blocking-devices")
    assert main(["scenario", "show", "long-distance", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["site_links"][0]["rtt_ms"] == 85


def test_cli_validate_ok_and_bad_flag(tmp_path, capsys):
    path = tmp_path / "s.yaml"
    path.write_text(dump_scenario(load_scenario("mixed-cpu-evc")))
    assert main(["scenario", "validate", str(path)]) == 0
    assert "valid scenario 'mixed-cpu-evc'" in capsys.readouterr().out
    assert main(["scenario", "validate"]) == 2
    assert main(["scenario", "frobnicate"]) == 2
