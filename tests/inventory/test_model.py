"""Lookups, relations and inventory paths of an Environment."""

import dataclasses

import pytest

from vmotion_core.errors import ConfigError, VMotionError
from vmotion_core.inventory import load_scenario


@pytest.fixture(scope="module")
def env():
    return load_scenario("healthy-cluster")


def test_lookups(env):
    assert env.host("esx-01").name == "esx-01"
    assert env.vm("db01").memory_gib == 64
    assert env.datastore("shared-ds").type == "vmfs"
    assert env.cluster("cl-prod").drs_enabled
    assert env.vmknic("esx-02", "vmk1").ip == "10.0.50.12"
    assert env.device("web01", "CD/DVD drive 1").kind == "cdrom"


@pytest.mark.parametrize("call, text", [
    (lambda e: e.host("esx-09"), "host: unknown host 'esx-09'; known: esx-01, esx-02"),
    (lambda e: e.vm("web99"), "unknown vm 'web99'; known: app01, db01, test01, web01, web02"),
    (lambda e: e.datastore("ds"), "known: esx-01-local, esx-02-local, shared-ds"),
    (lambda e: e.cluster("x"), "unknown cluster 'x'; known: cl-prod"),
    (lambda e: e.vmknic("esx-01", "vmk7"), "unknown vmknic 'esx-01/vmk7'; known: vmk0, vmk1"),
    (lambda e: e.device("web01", "Floppy 1"), "known: CD/DVD drive 1"),
    (lambda e: e.path("gizmo", "x"), "unknown object kind 'gizmo'"),
])
def test_unknown_names_raise_listing_known(env, call, text):
    with pytest.raises(VMotionError) as info:
        call(env)
    assert isinstance(info.value, ConfigError) and text in str(info.value)


def test_paths(env):
    assert env.path("vcenter", "vc01") == "vc01"
    assert env.path("cluster", "cl-prod") == "vc01/dc1/cl-prod"
    assert env.path("host", "esx-01") == "vc01/dc1/cl-prod/esx-01"
    assert env.path("vmknic", "esx-01", "vmk1") == "vc01/dc1/cl-prod/esx-01/vmk1"
    assert env.path("uplink", "esx-02", "vmnic2") == "vc01/dc1/cl-prod/esx-02/vmnic2"
    assert env.path("port-group", "esx-01", "vMotion") == "vc01/dc1/cl-prod/esx-01/vSwitch1/vMotion"
    assert env.path("vm", "web01") == "vc01/dc1/vm/web01"
    assert env.path("device", "web01", "CD/DVD drive 1") == "vc01/dc1/vm/web01/CD/DVD drive 1"
    assert env.path("datastore", "shared-ds") == "vc01/dc1/datastore/shared-ds"
    lv = load_scenario("linked-vcenters")
    assert lv.path("port-group", "esx-w01", "VM-Prod") == "vc-west/dc-west/network/dvs-west/VM-Prod"
    assert lv.path("distributed-switch", "dvs-east") == "vc-east/dc-east/network/dvs-east"


def test_relations(env):
    assert env.host_cluster("esx-01").name == "cl-prod"
    assert env.host_datacenter("esx-02").name == "dc1"
    assert env.host_vcenter("esx-02").version == "8.0 U2"
    assert env.host_license("esx-01").feature_set >= {"vmotion", "storage-vmotion"}
    assert env.rtt_ms("esx-01", "esx-02") == 0.0
    sw, pg = env.port_group("esx-01", "vMotion")
    assert (sw.name, pg.vlan) == ("vSwitch1", 50)
    assert env.port_group("esx-01", "nope") is None
    assert [u.name for u in env.active_uplinks("esx-01", sw, pg)] == ["vmnic2", "vmnic3"]
    assert {v.name for v in env.vms_on("esx-01")} == {"web01", "db01"}
    assert {d.name for d in env.datastores_of("esx-01")} == {"shared-ds", "esx-01-local"}
    assert dict(env.vm_files("db01"))["swap"] == "shared-ds"


def test_dvs_relations():
    lv = load_scenario("linked-vcenters")
    sw, pg = lv.port_group("esx-e01", "east-vmotion")
    assert sw.name == "dvs-east" and pg.vlan == 50
    assert [u.name for u in lv.active_uplinks("esx-e01", sw)] == ["vmnic0", "vmnic1"]
    assert lv.port_group("esx-e01", "west-vmotion") is None  # not a member of dvs-west


def test_cpu_features_and_evc():
    mixed = load_scenario("mixed-cpu-evc")
    new, old = mixed.effective_cpu_features("esx-22"), mixed.effective_cpu_features("esx-21")
    assert old < new and "avx512vbmi" in new - old
    assert mixed.vm_cpu_features("erp01") == new
    assert mixed.vm_cpu_features("ci01") <= old  # per-VM EVC at the Skylake baseline
    no_nx = mixed.set_host("esx-21", nx_enabled=False)
    assert "nx" not in no_nx.effective_cpu_features("esx-21")


def test_objects_are_frozen(env):
    with pytest.raises(dataclasses.FrozenInstanceError):
        env.host("esx-01").memory_gib = 1
    assert hash(env) == hash(load_scenario("healthy-cluster"))
