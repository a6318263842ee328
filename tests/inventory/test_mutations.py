"""Mutation methods: new environment, a recorded change line, validated arguments."""

import pytest

from vmotion_core.errors import ConfigError
from vmotion_core.inventory import load_scenario


@pytest.fixture(scope="module")
def env():
    return load_scenario("healthy-cluster")


def test_set_vmknic_returns_new_env_and_records(env):
    env2 = env.set_vmknic("esx-02", "vmk1", mtu=9000)
    assert env2 is not env and env.vmknic("esx-02", "vmk1").mtu == 1500
    assert env2.vmknic("esx-02", "vmk1").mtu == 9000
    assert env2.changes == ("esx-02 vmk1: mtu 1500 -> 9000",) and env.changes == ()
    env3 = env2.set_vmknic("esx-02", "vmk1", ip="10.0.50.22", prefix=25)
    assert env3.changes[-1] == "esx-02 vmk1: ip 10.0.50.12 -> 10.0.50.22, prefix 24 -> 25"
    assert len(env3.changes) == 2


@pytest.mark.parametrize("kwargs, field, text", [
    ({"ip": "10.0.0.300"}, "esx-02.vmk1.ip", "'10.0.0.300' is not an IPv4 address"),
    ({"mtu": 20000}, "esx-02.vmk1.mtu", "must be an integer between 1280 and 9000, got 20000"),
    ({"services": ("vmotoin",)}, "esx-02.vmk1.services[0]", "'vmotoin' is not allowed; allowed: management, vmotion"),
    ({"tcpip_stack": "vmotion"}, "esx-02.vmk1.tcpip_stack", "cannot be changed"),
    ({"name": "vmk9"}, "esx-02.vmk1.name", "cannot be set here"),
    ({"port_group": "Nope"}, "hosts[1].vmknics[1].port_group", "port group 'Nope' does not exist on host 'esx-02'"),
    ({"gateway": "10.9.9.1"}, "hosts[1].vmknics[1].gateway", "not in the vmknic's subnet 10.0.50.0/24"),
])
def test_set_vmknic_rejects_bad_arguments(env, kwargs, field, text):
    with pytest.raises(ConfigError) as info:
        env.set_vmknic("esx-02", "vmk1", **kwargs)
    assert info.value.field == field and text in info.value.reason


def test_same_message_as_loader(env, tmp_path):
    from vmotion_core.errors import ScenarioError
    from vmotion_core.inventory import dump_scenario, load_scenario_text
    with pytest.raises(ConfigError) as mut:
        env.set_vmknic("esx-02", "vmk1", ip="10.0.0.300")
    bad = dump_scenario(env).replace("ip: 10.0.50.12", "ip: 10.0.0.300")
    with pytest.raises(ScenarioError) as load:
        load_scenario_text(bad)
    assert load.value.problems == [f"hosts[1].vmknics[1].ip: {mut.value.reason}"]


def test_add_remove_vmknic_and_services(env):
    env2 = env.remove_vmknic("esx-02", "vmk1")
    assert env2.host("esx-02").vmknic("vmk1") is None and env2.changes == ("esx-02: removed vmk1",)
    env3 = env2.add_vmknic("esx-02", ip="10.0.50.12", port_group="vMotion", services=("vmotion",))
    assert env3.vmknic("esx-02", "vmk1").services == ("vmotion",)  # first free number
    assert env3.changes[-1].startswith("esx-02: added vmk1 (10.0.50.12/24 on vMotion")
    off = env.disable_service("esx-01", "vmk1", "vmotion")
    assert off.vmknic("esx-01", "vmk1").services == ()
    assert off.enable_service("esx-01", "vmk1", "vmotion").vmknic("esx-01", "vmk1").services == ("vmotion",)
    with pytest.raises(ConfigError, match="already enabled"):
        env.enable_service("esx-01", "vmk1", "vmotion")
    with pytest.raises(ConfigError, match="host 'esx-01' already has a vmknic 'vmk1'"):
        env.add_vmknic("esx-01", ip="10.0.50.99", port_group="vMotion", name="vmk1")


def test_vmotion_stack_turns_off_default_stack_vmotion(env):
    env2 = env.add_vmknic("esx-01", ip="10.0.60.11", port_group="vMotion", tcpip_stack="vmotion")
    assert env2.vmknic("esx-01", "vmk1").services == ()
    assert env2.vmknic("esx-01", "vmk2").services == ("vmotion",)
    assert "vMotion service turned off on vmk1" in env2.changes[-1]
    env3 = env2.set_stack_gateway("esx-01", "vmotion", "10.0.60.1")
    assert env3.host("esx-01").stack_gateway("vmotion") == "10.0.60.1"
    with pytest.raises(ConfigError, match="not in the subnet of any vmknic on the vmotion stack"):
        env2.set_stack_gateway("esx-01", "vmotion", "10.0.70.1")


def test_default_stack_vmotion_next_to_the_vmotion_stack_is_kept_but_unused(env):
    # N2 / T2: one rule for both ways of ticking vMotion on a default-stack vmknic of a host
    # that has a vMotion-stack vmknic: accepted, recorded as unused, warned by the check
    from vmotion_core.compat import check_migration
    from vmotion_core.compat.netpath import vmotion_vmknics
    from vmotion_core.migration import MigrationRequest
    stacked = env.add_vmknic("esx-01", ip="10.0.60.11", port_group="vMotion", tcpip_stack="vmotion")
    ticked = stacked.enable_service("esx-01", "vmk1", "vmotion")
    added = stacked.add_vmknic("esx-01", ip="10.0.50.111", port_group="vMotion",
                               services=("vmotion",))
    note = "vMotion does not use {}: vmk2 is on the vMotion TCP/IP stack"
    assert ticked.vmknic("esx-01", "vmk1").services == ("vmotion",)
    assert ticked.changes[-1].startswith("esx-01 vmk1: services [] -> [vmotion]; ")
    assert note.format("vmk1") in ticked.changes[-1]
    assert added.vmknic("esx-01", "vmk3").services == ("vmotion",)
    assert added.changes[-1].startswith("esx-01: added vmk3 (") and note.format("vmk3") in added.changes[-1]
    req = MigrationRequest("web01", target="esx-02")
    for e, vmk in ((ticked, "vmk1"), (added, "vmk3")):
        assert [v.name for v in vmotion_vmknics(e, "esx-01")] == ["vmk2"]
        n2 = [f for f in check_migration(e, req) if f.rule_id == "N2"]
        assert [(f.severity, f.object.rsplit("/", 1)[-1]) for f in n2] == [("warning", vmk)]
    # without a vMotion-stack vmknic there is nothing to say
    assert "does not use" not in env.disable_service("esx-01", "vmk1", "vmotion") \
        .enable_service("esx-01", "vmk1", "vmotion").changes[-1]
    assert "does not use" not in env.add_vmknic("esx-01", ip="10.0.50.99", port_group="vMotion",
                                                services=("vmotion",)).changes[-1]


def test_network_objects(env):
    e = env.set_port_group("vSwitch1", "vMotion", host="esx-02", vlan=51)
    assert e.port_group("esx-02", "vMotion")[1].vlan == 51
    assert e.changes[-1] == "esx-02 vSwitch1 port group vMotion: vlan 50 -> 51"
    e = env.set_uplink("esx-01", "vmnic2", link_up=False, speed_mbps=1000)
    assert not e.host("esx-01").uplink("vmnic2").link_up
    assert e.changes[-1] == "esx-01 vmnic2: speed_mbps 10000 -> 1000, link_up true -> false"
    with pytest.raises(ConfigError, match="speed_mbps: 1234 .* is not allowed"):
        env.set_uplink("esx-01", "vmnic2", speed_mbps=1234)
    e = env.set_switch("vSwitch1", host="esx-01", mtu=9000)
    assert e.host("esx-01").standard_switches[1].mtu == 9000
    e = env.add_port_group("vSwitch0", "VM-Test", host="esx-01", vlan=30)
    assert e.port_group("esx-01", "VM-Test")[1].vlan == 30
    with pytest.raises(ConfigError, match="does not exist on host"):
        env.remove_port_group("vSwitch1", "vMotion", host="esx-01")  # vmk1 still uses it
    lv = load_scenario("linked-vcenters")
    e = lv.add_port_group("dvs-east", "VM-Test", vlan=40)
    assert e.port_group("esx-e01", "VM-Test")[0].name == "dvs-east"


def test_vm_mutations():
    bd = load_scenario("blocking-devices")
    e = bd.connect_device("web03", "CD/DVD drive 1", False)
    assert not e.device("web03", "CD/DVD drive 1").connected
    assert e.changes == ("web03 CD/DVD drive 1: connected true -> false",)
    assert bd.set_vm("app02", cpu_affinity=()).vm("app02").cpu_affinity == ()
    assert bd.set_vm("build01", tools_install_in_progress=False).changes[-1] == \
        "build01: tools_install_in_progress true -> false"
    with pytest.raises(ConfigError, match="only be removed while the VM is powered off"):
        bd.remove_device("gpu01", "PCI device 0")
    e = bd.power_off("gpu01").remove_device("gpu01", "PCI device 0")
    assert e.vm("gpu01").devices == () and e.changes[0] == "gpu01: power off (powered-on -> powered-off)"
    with pytest.raises(ConfigError, match="evc_mode: can only be changed while the VM is powered off"):
        bd.set_vm("web01", evc_mode="intel-skylake")
    with pytest.raises(ConfigError, match="encrypted_vmotion: 'always' is not allowed"):
        bd.set_vm("web01", encrypted_vmotion="always")
    with pytest.raises(ConfigError, match="web01.host: cannot be set here"):
        bd.set_vm("web01", host="esx-62")
    with pytest.raises(ConfigError, match="cannot suspend a VM that is powered-off"):
        bd.power_off("web01").suspend("web01")
    e = bd.set_nic("web01", "Network adapter 1", connected=False)
    assert not e.vm("web01").nic("Network adapter 1").connected
    with pytest.raises(ConfigError, match="port group 'VM-X' does not exist"):
        bd.set_nic("web01", "Network adapter 1", network="VM-X")
    e = bd.set_disk("db02", "Hard disk 2", mode="persistent")
    assert e.vm("db02").disk("Hard disk 2").mode == "persistent"
    e = bd.set_vm("web01", workload={"kind": "uniform", "dirty_rate_mibps": 900})
    assert e.vm("web01").workload.dirty_rate_mibps == 900


def test_cluster_evc():
    mixed = load_scenario("mixed-cpu-evc")
    with pytest.raises(ConfigError, match="running VMs erp01 on 'esx-22' use CPU features above"):
        mixed.set_cluster_evc("cl-mixed", "intel-skylake")
    with pytest.raises(ConfigError, match=r"host 'esx-21' \(intel-skylake\) cannot run EVC mode 'intel-icelake'"):
        mixed.set_cluster_evc("cl-mixed", "intel-icelake")
    with pytest.raises(ConfigError, match="'intel-zen' is not allowed"):
        mixed.set_cluster_evc("cl-mixed", "intel-zen")
    e = mixed.power_off("erp01").set_cluster_evc("cl-mixed", "intel-skylake")
    assert e.cluster("cl-mixed").evc_mode == "intel-skylake"
    assert e.changes[-1] == "cl-mixed: evc_mode none -> intel-skylake"
    assert e.effective_cpu_features("esx-22") == e.effective_cpu_features("esx-21")
    with pytest.raises(ConfigError, match="NX/XD and VT"):
        mixed.power_off("erp01").set_host("esx-21", nx_enabled=False).set_cluster_evc("cl-mixed", "intel-skylake")


def test_storage_site_vcenter_and_relocate(env):
    nss = load_scenario("no-shared-storage")
    with pytest.raises(ConfigError, match="a local datastore is mounted by one host only"):
        nss.mount_datastore("esx-11-local", "esx-12")
    e = load_scenario("linked-vcenters").mount_datastore("ds-east", "esx-w01", writable=False)
    assert "esx-w01" in e.datastore("ds-east").read_only_hosts
    assert e.changes == ("ds-east: mounted on esx-w01 (read-only)",)
    with pytest.raises(ConfigError, match="is not mounted on host 'esx-01'"):
        env.unmount_datastore("shared-ds", "esx-01")  # VMs on esx-01 use it
    ld = load_scenario("long-distance").set_site_link("fra", "nyc", rtt_ms=180)
    assert ld.rtt_ms("esx-fra-01", "esx-nyc-01") == 180
    with pytest.raises(ConfigError, match="rtt_ms: must be a number"):
        ld.set_site_link("fra", "nyc", rtt_ms="far")
    e = env.set_advanced("vc01", "vgpu.hotmigrate.enabled", True)
    assert e.vcenter("vc01").setting("vgpu.hotmigrate.enabled") == "true"
    e = env.relocate_vm("web01", host="esx-02", reason="vMotion")
    assert e.vm("web01").host == "esx-02" and e.changes[-1] == "web01: vMotion (host esx-01 -> esx-02)"
    e = nss.relocate_vm("files01", host="esx-12", datastore="esx-12-local", reason="vMotion")
    assert {d.datastore for d in e.vm("files01").disks} == {"esx-12-local"}
    with pytest.raises(ConfigError, match="is not mounted on host 'esx-12'"):
        nss.relocate_vm("files01", host="esx-12")
