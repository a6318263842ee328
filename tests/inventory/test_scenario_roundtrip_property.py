"""Scenario dump -> load round trip, as a property (hypothesis): any environment a learner can make
from a built-in scenario with the mutation methods dumps to YAML that loads back equal, and the
dump is stable. Names and values are drawn to stress YAML (quotes, colons, ``#``, ``yes``/``null``,
numbers as names, unicode, long floats)."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vmotion_core.errors import ConfigError
from vmotion_core.inventory import dump_scenario, list_scenarios, load_scenario, load_scenario_text

SCENARIOS = {name: load_scenario(name) for name, _ in list_scenarios()}
TRICKY = ["yes", "no", "null", "~", "1e3", "0x10", "007", "-", "a: b", "# not a comment",
          "'quoted'", '"double"', "tab\there", "ünïcødé", "trailing ", " leading", "[x]", "{y}",
          "&anchor", "*alias", "!tag", "%percent", "@at", "`tick`", "multi\nline", "Network adapter 9"]
NAMES = st.one_of(st.sampled_from(TRICKY),
                  st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=24))
NUMBERS = st.one_of(st.integers(0, 10**6), st.floats(0, 1e6, allow_nan=False))


def _pick(data, seq, label):
    return data.draw(st.sampled_from([o.name for o in seq]), label=label)


def _mutation(data, env):
    """One mutation with drawn arguments, as (label, callable)."""
    host = data.draw(st.sampled_from(env.hosts), label="host")
    vm = data.draw(st.sampled_from(env.vms), label="vm")
    op = data.draw(st.sampled_from([
        "mtu", "port_group", "nic", "device", "free", "affinity", "advanced", "offset",
        "relocate", "power", "uplink", "cluster"]), label="op")
    if op == "mtu" and host.vmknics:
        vmk = _pick(data, host.vmknics, "vmk")
        mtu = data.draw(st.integers(1280, 9000))
        return lambda e: e.set_vmknic(host.name, vmk, mtu=mtu)
    if op == "port_group" and host.standard_switches:
        sw = _pick(data, host.standard_switches, "switch")
        name, vlan = data.draw(NAMES, label="pg"), data.draw(st.integers(0, 4095))
        return lambda e: e.add_port_group(sw, name, host=host.name, vlan=vlan)
    if op == "nic":
        labels = [pg.name for sw in env.host_switches(vm.host) for pg in sw.port_groups]
        network = data.draw(st.sampled_from(labels), label="network")
        name = data.draw(NAMES, label="nic")
        return lambda e: e.add_nic(vm.name, network, name=name, connected=data.draw(st.booleans()))
    if op == "device":
        name = data.draw(NAMES, label="device")
        return lambda e: e.add_device(vm.name, name, "cdrom")
    if op == "free":
        ds = data.draw(st.sampled_from(env.datastores), label="datastore")
        free = data.draw(st.floats(0, ds.capacity_gib, allow_nan=False), label="free_gib")
        return lambda e: e.set_datastore(ds.name, free_gib=free)
    if op == "affinity":
        cpus = tuple(data.draw(st.lists(st.integers(0, 63), max_size=4, unique=True)))
        return lambda e: e.set_vm(vm.name, cpu_affinity=cpus)
    if op == "advanced":
        vc = _pick(data, env.vcenters, "vcenter")
        key = data.draw(st.one_of(st.just("vgpu.hotmigrate.enabled"), NAMES), label="key")
        value = data.draw(st.one_of(st.booleans(), NUMBERS, NAMES), label="value")
        return lambda e: e.set_advanced(vc, key, value)
    if op == "offset":
        vc = _pick(data, env.vcenters, "vcenter")
        offset = data.draw(st.floats(-1e5, 1e5, allow_nan=False), label="time_offset_s")
        return lambda e: e.set_vcenter(vc, time_offset_s=offset)
    if op == "relocate":
        target = _pick(data, env.hosts, "target")
        return lambda e: e.relocate_vm(vm.name, host=target)
    if op == "power":
        return lambda e: e.power_off(vm.name) if vm.power_state == "powered-on" else \
            e.power_on(vm.name)
    if op == "uplink" and host.uplinks:
        up = _pick(data, host.uplinks, "uplink")
        return lambda e: e.set_uplink(host.name, up, link_up=data.draw(st.booleans()),
                                      speed_mbps=data.draw(st.sampled_from([100, 1000, 10000,
                                                                            25000])))
    if op == "cluster" and env.clusters:
        cl = _pick(data, env.clusters, "cluster")
        return lambda e: e.set_cluster(cl, ha_enabled=data.draw(st.booleans()),
                                       drs_enabled=data.draw(st.booleans()))
    return lambda e: e


@settings(max_examples=60, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(name=st.sampled_from(sorted(SCENARIOS)), data=st.data())
def test_mutated_scenario_dumps_and_loads_back_equal(name, data):
    env = SCENARIOS[name]
    for _ in range(data.draw(st.integers(1, 6), label="steps")):
        try:
            env = _mutation(data, env)(env)
        except ConfigError:
            pass  # refused with a clear error: the environment is unchanged
    text = dump_scenario(env)
    again = load_scenario_text(text, "dump")
    assert again == env
    assert dump_scenario(again) == text
