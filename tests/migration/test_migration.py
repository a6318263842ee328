"""classify(), migrate() and the batch limits on the built-in scenarios."""

import json

import pytest

from vmotion_core.compat import check_batch, check_migration, vmotion_bandwidth
from vmotion_core.errors import ConfigError
from vmotion_core.inventory import dump_scenario, load_scenario, load_scenario_text
from vmotion_core.migration import MigrationRequest as R
from vmotion_core.migration import classify, migrate


@pytest.mark.parametrize("scenario, req, label, host", [
    ("healthy-cluster", R("web01", target="esx-02"), "compute-only", "esx-02"),
    ("healthy-cluster", R("web01", datastore="esx-01-local"), "storage-only", "esx-01"),
    ("healthy-cluster", R("web01", target="esx-02", datastore="esx-02-local"), "compute+storage", "esx-02"),
    ("healthy-cluster", R("test01", target="esx-01"), "cold", "esx-01"),
    ("linked-vcenters", R("crm01", target="esx-w01", datastore="ds-west"), "cross-vcenter", "esx-w01"),
    ("long-distance", R("trade01", target="esx-nyc-01", datastore="nyc-vmfs01"), "long-distance", "esx-nyc-01"),
])
def test_classify_labels(scenario, req, label, host):
    plan = classify(load_scenario(scenario), req)
    assert (plan.label, plan.target_host) == (label, host)


def test_classify_suspended_and_flags():
    env = load_scenario("healthy-cluster").suspend("web01")
    plan = classify(env, R("web01", target="esx-02"))
    assert plan.label == "suspended" and not plan.live
    xvc = classify(load_scenario("long-distance"), R("trade01", target="esx-nyc-01", datastore="nyc-vmfs01"))
    assert xvc.long_distance and xvc.rtt_ms == 85


def test_cluster_target_drs_pick_is_explained():
    env = load_scenario("healthy-cluster")
    plan = classify(env, R("web01", target="cl-prod"))
    assert plan.target_host == "esx-02" and plan.target_kind == "cluster"
    assert "DRS" in plan.drs_pick and "esx-02" in plan.drs_pick
    with pytest.raises(ConfigError, match="DRS turned off"):
        classify(env.set_cluster("cl-prod", drs_enabled=False), R("web01", target="cl-prod"))


def test_bad_requests_raise_config_error():
    env = load_scenario("healthy-cluster")
    with pytest.raises(ConfigError, match="target"):
        classify(env, R("web01", target="esx-99"))
    with pytest.raises(ConfigError, match="nothing to migrate"):
        classify(env, R("web01", target="esx-01"))
    with pytest.raises(ConfigError, match="priority"):
        R("web01", target="esx-02", priority="urgent")


@pytest.mark.parametrize("scenario, req", [
    ("healthy-cluster", R("web01", target="esx-02")),
    ("healthy-cluster", R("web01", datastore="esx-01-local")),
    ("no-shared-storage", R("pos01", target="esx-11", datastore="esx-11-local")),
    ("linked-vcenters", R("crm01", target="esx-w01", datastore="ds-west")),
    ("long-distance", R("trade01", target="esx-nyc-01", datastore="nyc-vmfs01")),
    ("mixed-cpu-evc", R("mail01", target="esx-22")),
    ("mixed-cpu-evc", R("lab01", target="esx-31")),
    ("blocking-devices", R("web01", target="esx-62")),
    ("routed-vmotion-stack", R("k8s-node01", target="esx-72")),
])
def test_migrate_round_trip(scenario, req):
    env = load_scenario(scenario)
    r = migrate(env, req, seed=1)
    assert r.ok, r.reason
    vm = r.environment.vm(req.vm)
    assert vm.host == r.plan.target_host
    if req.datastore:
        assert vm.config_datastore == req.datastore
    assert env.vm(req.vm).host == r.plan.source_host  # the input is untouched
    names = [p.name for p in r.phases]
    assert names[0] == "compatibility check" and names[-1] == "cleanup"
    if r.plan.live and r.plan.changes_host:
        assert r.precopy is not None and r.stun_ms == pytest.approx(r.precopy.downtime_ms)
        assert any("Stopping pre-copy" in ln for ln in r.log_lines)
        assert "RARP" in names
    assert r.total_s == pytest.approx(r.phases[-1].end_s)
    json.dumps(r.to_dict())
    assert migrate(env, req, seed=1).log_lines == r.log_lines  # deterministic


def test_kb436882_stop_line_format():
    r = migrate(load_scenario("healthy-cluster"), R("web01", target="esx-02"))
    line = next(ln for ln in r.log_lines if "Stopping pre-copy" in ln)
    assert f")VMotion: 4650: {r.migration_id} S: Stopping pre-copy: only {r.precopy.final_pages} " \
           "pages left to send, which can be sent within the switchover time goal of 0.500 " \
           "seconds (network bandwidth ~" in line
    assert line.startswith("esx-01 vmkernel.log: 2024-")
    assert any(f"Migrate_Open: Restoring from <10.0.50.11> with migration id {r.migration_id}" in ln
               for ln in r.log_lines)


def test_blocked_migration_leaves_vm_in_place():
    env = load_scenario("blocking-devices")
    r = migrate(env, R("web03", target="esx-62"))
    assert not r.ok and r.environment is env
    assert r.environment.vm("web03").host == "esx-61"
    assert r.reason.startswith("Unable to migrate from esx-61 to esx-62: Currently connected device")
    assert r.precopy is None and r.stun_ms == 0
    assert any("failed" in ln for ln in r.log_lines)


def test_switchover_timeout_fails_and_vm_stays():
    env = (load_scenario("healthy-cluster")
           .set_uplink("esx-01", "vmnic2", speed_mbps=1000).set_uplink("esx-01", "vmnic3", speed_mbps=1000)
           .power_off("db01").set_vm("db01", max_switchover_s=1).power_on("db01"))
    r = migrate(env, R("db01", target="esx-02"))
    assert not r.ok and r.environment.vm("db01").host == "esx-01" and r.environment is env
    lm4 = [f for f in r.findings if f.rule_id == "LM4"]
    assert lm4 and lm4[0].code == "MaxSwitchoverExceeded" and not lm4[0].vcenter_checks
    assert lm4[0].message.startswith("The migration has exceeded the maximum switchover time of 1 second(s).")


def _evc_east(env, hardware=None):
    env = env.power_off("crm01")
    if hardware:
        env = env.set_vm("crm01", hardware_version=hardware)
    return env.set_cluster_evc("cl-east", "amd-zen2").power_on("crm01")


def test_v12_cpu_requirements_written_when_leaving_evc():
    xvc = R("crm01", target="esx-w01", datastore="ds-west")
    env = _evc_east(load_scenario("linked-vcenters"))
    f = [f for f in check_migration(env, xvc) if f.rule_id == "V12"]
    assert f and f[0].severity == "warning" and f[0].code == "WillModifyConfigCpuRequirements"
    assert f[0].message == ("Migration will cause the virtual machine's configuration to be modified "
                            "to preserve the CPU feature requirements for its guest operating system.")
    old = _evc_east(load_scenario("linked-vcenters"), hardware=13)
    g = [f for f in check_migration(old, xvc) if f.rule_id == "V12b"]
    assert g and g[0].severity == "error" and g[0].code == "CannotModifyConfigCpuRequirements"
    assert not {"V12", "V12b"} & {f.rule_id for f in check_migration(load_scenario("linked-vcenters"), xvc)}


def test_bandwidth_function():
    env = load_scenario("healthy-cluster")
    p = vmotion_bandwidth(env, "esx-01", "esx-02")
    assert p.bandwidth_gbps == 10 and p.effective_gbps == pytest.approx(9.4)
    slow = env.set_uplink("esx-02", "vmnic2", speed_mbps=1000).set_uplink("esx-02", "vmnic3", speed_mbps=1000)
    assert vmotion_bandwidth(slow, "esx-01", "esx-02").bandwidth_gbps == 1
    assert vmotion_bandwidth(env, "esx-01", "esx-02", concurrent=2).effective_gbps == pytest.approx(4.7)
    ld = vmotion_bandwidth(load_scenario("long-distance"), "esx-fra-01", "esx-nyc-01")
    assert ld.rtt_ms == 85 and ld.link.rtt_ms == 85


def test_batch_network_limit_queues_fifth_vmotion_on_1gbe():
    env = load_scenario("healthy-cluster").power_on("test01")
    for h in ("esx-01", "esx-02"):
        env = env.set_uplink(h, "vmnic2", speed_mbps=1000).set_uplink(h, "vmnic3", speed_mbps=1000)
    reqs = [R("web01", target="esx-02"), R("db01", target="esx-02"), R("web02", target="esx-01"),
            R("app01", target="esx-01"), R("test01", target="esx-01")]
    plan = check_batch(env, reqs)
    assert plan.started == ("web01", "db01", "web02", "app01") and plan.queued == ("test01",)
    q = plan.entries[4]
    assert any(f.rule_id == "LM2" and f.severity == "warning" and "1 GbE" in f.message for f in q.findings)
    fast = check_batch(load_scenario("healthy-cluster").power_on("test01"), reqs)
    assert fast.queued == ()  # 10 GbE: 8 concurrent vMotions


def test_batch_host_limit_two_storage_vmotions():
    env = load_scenario("healthy-cluster")
    reqs = [R("web02", datastore="esx-02-local"), R("app01", datastore="esx-02-local"),
            R("web01", target="esx-02")]
    plan = check_batch(env, reqs)
    assert plan.started == ("web02", "app01") and plan.queued == ("web01",)
    lm1 = [f for f in plan.entries[2].findings if f.rule_id == "LM1"]
    assert lm1 and "host 'esx-02' would exceed its maximum cost of 8 (8 in use" in lm1[0].message
    json.dumps(plan.to_dict())



def test_disk_name_with_a_quote_moves_like_any_other():
    """File groups are labelled "disk '<name>'": a quote in the name must not break the label."""
    text = dump_scenario(load_scenario("healthy-cluster"))
    env = load_scenario_text(text.replace("name: Hard disk 1", "name: \"Bob's disk\"", 1))
    assert env.vm("web01").disk("Bob's disk") is not None
    r = migrate(env, R("web01", target="esx-02", datastore="esx-02-local"))
    assert r.ok, r.reason
    assert r.environment.vm("web01").disk("Bob's disk").datastore == "esx-02-local"
    assert any("disk 'Bob's disk'" in line for line in r.log_lines)
