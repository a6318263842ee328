"""Environment: lookups through an index built once per environment, and mutations grouped by the
object they change (each one changes only that object's collection)."""

import dataclasses

import pytest

from vmotion_core.errors import ConfigError
from vmotion_core.inventory import list_scenarios, load_scenario
from vmotion_core.inventory._host_mutations import _HostMutations
from vmotion_core.inventory._shared_mutations import _SharedMutations
from vmotion_core.inventory._switch_mutations import _SwitchMutations
from vmotion_core.inventory._vm_mutations import _VmMutations
from vmotion_core.inventory.environment import Environment

SCENARIOS = [name for name, _ in list_scenarios()]
LOOKUPS = {"hosts": "host", "vms": "vm", "datastores": "datastore", "clusters": "cluster",
           "vcenters": "vcenter", "datacenters": "datacenter", "sites": "site",
           "licenses": "license", "distributed_switches": "distributed_switch",
           "resource_pools": "resource_pool", "vapps": "vapp"}


@pytest.mark.parametrize("name", SCENARIOS)
def test_lookups_agree_with_a_scan(name):
    env = load_scenario(name)
    for collection, method in LOOKUPS.items():
        for obj in getattr(env, collection):
            assert getattr(env, method)(obj.name) is obj
    for h in env.hosts:
        assert env.vms_on(h.name) == tuple(v for v in env.vms if v.host == h.name)
        assert env.datastores_of(h.name) == tuple(d for d in env.datastores if h.name in d.hosts)
        dvs = tuple(d for d in env.distributed_switches if any(m.host == h.name for m in d.members))
        assert env.host_switches(h.name) == h.standard_switches + dvs
    for cluster in [c.name for c in env.clusters] + [None]:  # None: the standalone hosts
        assert env.hosts_in(cluster) == tuple(h for h in env.hosts if h.cluster == cluster)


def test_index_is_built_once_and_each_new_environment_has_its_own():
    env = load_scenario("healthy-cluster")
    assert "_index" not in env.__dict__  # built on first use, not by every mutation
    env.vm("web01")
    index = env._index
    env.host("esx-01"), env.datastore("shared-ds")
    assert env._index is index
    moved = env.relocate_vm("web01", host="esx-02", reason="vMotion")
    assert moved.vm("web01").host == "esx-02" and env.vm("web01").host == "esx-01"
    assert [v.name for v in moved.vms_on("esx-02")] == ["web01", "web02", "app01", "test01"]
    assert "web01" in [v.name for v in env.vms_on("esx-01")]  # the old index is untouched


def test_index_takes_no_part_in_equality_or_hashing():
    env = load_scenario("healthy-cluster")
    fresh = load_scenario("healthy-cluster")
    env.host("esx-01"), env.vms_on("esx-01")
    assert env == fresh and hash(env) == hash(fresh)
    assert "_index" not in dataclasses.replace(env).__dict__


@pytest.mark.parametrize("name", ["esx-9", "", None, ["esx-01"], {"a": 1}])
def test_unknown_and_unhashable_names_are_config_errors(name):
    env = load_scenario("healthy-cluster")
    with pytest.raises(ConfigError) as info:
        env.host(name)
    assert info.value.field == "host" and info.value.reason.endswith("known: esx-01, esx-02")
    assert env.vms_on(name) == () and env.datastores_of(name) == ()


def test_first_object_of_a_name_wins_as_with_a_scan():
    env = load_scenario("healthy-cluster")
    web01 = env.vm("web01")
    twin = dataclasses.replace(web01, host="esx-02")
    doubled = dataclasses.replace(env, vms=env.vms + (twin,))  # not loadable; lookups still defined
    assert doubled.vm("web01") is web01
    assert twin in doubled.vms_on("esx-02")


H, L, LD, R = (load_scenario(n) for n in ("healthy-cluster", "linked-vcenters", "long-distance",
                                           "routed-vmotion-stack"))
H_OFF = H.power_off("web01").power_off("db01").power_off("web02").power_off("app01")
H_ON = H.connect_device("web01", "CD/DVD drive 1")
H_PG = H.add_port_group("vSwitch0", "VM-Test", host="esx-02")
L_MOUNTED = L.mount_datastore("ds-east", "esx-w01")
_FABRIC = R.distributed_switch("dvs-fabric")
R_LEFT = dataclasses.replace(R, distributed_switches=(dataclasses.replace(  # esx-73 not joined yet
    _FABRIC, members=tuple(m for m in _FABRIC.members if m.host != "esx-73")),))
# (mixin that must define the method, collection it may change, before, after)
MUTATIONS = {
    "set_host": (_HostMutations, "hosts", H, lambda: H.set_host("esx-02", vt_enabled=False)),
    "add_vmknic": (_HostMutations, "hosts", H, lambda: H.add_vmknic(
        "esx-02", ip="10.0.51.12", port_group="vMotion", services=("vmotion",))),
    "remove_vmknic": (_HostMutations, "hosts", H, lambda: H.remove_vmknic("esx-02", "vmk1")),
    "set_vmknic": (_HostMutations, "hosts", H, lambda: H.set_vmknic("esx-02", "vmk1", mtu=9000)),
    "enable_service": (_HostMutations, "hosts", H,
                       lambda: H.enable_service("esx-02", "vmk0", "vmotion")),
    "disable_service": (_HostMutations, "hosts", H,
                        lambda: H.disable_service("esx-02", "vmk1", "vmotion")),
    "set_stack_gateway": (_HostMutations, "hosts", H,
                          lambda: H.set_stack_gateway("esx-02", "default", "192.168.10.254")),
    "set_uplink": (_HostMutations, "hosts", H,
                   lambda: H.set_uplink("esx-02", "vmnic3", link_up=False)),
    "set_switch": (_SwitchMutations, "hosts", H,
                   lambda: H.set_switch("vSwitch1", host="esx-02", mtu=9000)),
    "add_port_group": (_SwitchMutations, "distributed_switches", L,
                       lambda: L.add_port_group("dvs-east", "VM-Test", vlan=40)),
    "set_port_group": (_SwitchMutations, "hosts", H,
                       lambda: H.set_port_group("vSwitch0", "VM-Prod", host="esx-02", vlan=12)),
    "remove_port_group": (_SwitchMutations, "hosts", H_PG,
                          lambda: H_PG.remove_port_group("vSwitch0", "VM-Test", host="esx-02")),
    "join_distributed_switch": (_SwitchMutations, "distributed_switches", R_LEFT,
                                lambda: R_LEFT.join_distributed_switch(
                                    "dvs-fabric", "esx-73", uplinks=("vmnic0", "vmnic1"))),
    "set_vm": (_VmMutations, "vms", H, lambda: H.set_vm("web01", cpu_affinity=(1,))),
    "power_on": (_VmMutations, "vms", H, lambda: H.power_on("test01")),
    "power_off": (_VmMutations, "vms", H, lambda: H.power_off("web01")),
    "suspend": (_VmMutations, "vms", H, lambda: H.suspend("web01")),
    "connect_device": (_VmMutations, "vms", H,
                       lambda: H.connect_device("web01", "CD/DVD drive 1")),
    "disconnect_device": (_VmMutations, "vms", H_ON,
                          lambda: H_ON.disconnect_device("web01", "CD/DVD drive 1")),
    "set_device": (_VmMutations, "vms", H,
                   lambda: H.set_device("web01", "CD/DVD drive 1", connected=True)),
    "add_device": (_VmMutations, "vms", H,
                   lambda: H.add_device("web01", "CD/DVD drive 2", "cdrom")),
    "remove_device": (_VmMutations, "vms", H, lambda: H.remove_device("web01", "CD/DVD drive 1")),
    "set_nic": (_VmMutations, "vms", H,
                lambda: H.set_nic("web01", "Network adapter 1", connected=False)),
    "remove_nic": (_VmMutations, "vms", H, lambda: H.remove_nic("web01", "Network adapter 1")),
    "add_nic": (_VmMutations, "vms", H, lambda: H.add_nic("web01", "VM-Prod")),
    "set_disk": (_VmMutations, "vms", H,
                 lambda: H.set_disk("db01", "Hard disk 2", mode="independent-persistent")),
    "relocate_vm": (_VmMutations, "vms", H, lambda: H.relocate_vm("web01", host="esx-02")),
    "set_cluster": (_SharedMutations, "clusters", H,
                    lambda: H.set_cluster("cl-prod", ha_enabled=False)),
    "set_cluster_evc": (_SharedMutations, "clusters", H_OFF,
                        lambda: H_OFF.set_cluster_evc("cl-prod", "intel-skylake")),
    "mount_datastore": (_SharedMutations, "datastores", L,
                        lambda: L.mount_datastore("ds-east", "esx-w01", writable=False)),
    "unmount_datastore": (_SharedMutations, "datastores", L_MOUNTED,
                          lambda: L_MOUNTED.unmount_datastore("ds-east", "esx-w01")),
    "set_datastore": (_SharedMutations, "datastores", H,
                      lambda: H.set_datastore("shared-ds", free_gib=10)),
    "set_site_link": (_SharedMutations, "site_links", LD,
                      lambda: LD.set_site_link("fra", "nyc", rtt_ms=180)),
    "set_vcenter": (_SharedMutations, "vcenters", H,
                    lambda: H.set_vcenter("vc01", time_offset_s=30)),
    "set_advanced": (_SharedMutations, "vcenters", H,
                     lambda: H.set_advanced("vc01", "vgpu.hotmigrate.enabled", True)),
}
GROUPS = (_HostMutations, _SwitchMutations, _VmMutations, _SharedMutations)


def test_every_public_mutation_is_listed_once():
    defined = [name for g in GROUPS for name in vars(g) if not name.startswith("_")]
    assert sorted(defined) == sorted(MUTATIONS)
    assert all(issubclass(Environment, g) for g in GROUPS)


@pytest.mark.parametrize("name", sorted(MUTATIONS))
def test_a_mutation_changes_only_the_collection_of_its_object(name):
    group, collection, before, make = MUTATIONS[name]
    assert name in vars(group), f"{name} belongs in {group.__name__}"
    after = make()
    fields = [f.name for f in dataclasses.fields(Environment) if f.name != "changes"]
    changed = {f for f in fields if getattr(before, f) != getattr(after, f)}
    assert changed == {collection}
    assert after.changes[:-1] == before.changes  # one change line recorded
