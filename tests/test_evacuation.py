"""Host evacuation: placement, waves under the limits, shared-link times, blocked VMs, CLI."""

import json

import pytest

from vmotion_core.plan import free_memory_gib
from vmotion_core.cli import main
from vmotion_core.compat import check_batch, vmotion_bandwidth
from vmotion_core.compat.limits import HOST_MAX, network_max
from vmotion_core.compat.netpath import encrypted_vmotion_used
from vmotion_core.errors import ConfigError
from vmotion_core.migration.evacuation import plan_evacuation, schedule_evacuation, simulate_evacuation
from vmotion_core.inventory import load_scenario
from vmotion_core.migration import MigrationRequest, migrate
from vmotion_labs import Lab


@pytest.fixture(scope="module")
def crowded():
    """lab06's start: 10-13 running VMs on one 10 GbE host, two targets (limit 8 per host)."""
    lab = Lab.open("lab06", learner="alice")
    return lab.start_env, lab.params


@pytest.fixture(scope="module")
def crowded_plan(crowded):
    env, p = crowded
    return plan_evacuation(env, p["host_x"])


def _running_at(ev, t):
    return [m for m in ev.moves if m.ok and m.start_s <= t < m.end_s]


def test_vcenter_starts_what_the_limits_allow_and_queues_the_rest(crowded, crowded_plan):
    # fact sheet §3: an operation over a maximum cost is queued, not failed, and starts when a
    # running one frees its slot (vSphere 6.7/8.0 "Limits on Simultaneous Migrations")
    env, p = crowded
    ev = crowded_plan
    limit = min(HOST_MAX, network_max(env, p["host_x"]))
    assert len(p["vm_list"]) > limit
    assert ev.ok and ev.schedule == "slots", str(ev)
    at_once = [m for m in ev.moves if m.start_s == 0]
    assert len(at_once) == limit and all(not m.queued for m in at_once)
    queued = ev.queued
    assert len(queued) == len(p["vm_list"]) - limit and all(m.start_s > 0 for m in queued)
    ends = sorted(m.end_s for m in ev.moves)
    for m in queued:
        # it starts the moment an earlier migration ends, and the slot it takes was full before
        assert any(m.start_s == pytest.approx(e) for e in ends)
        assert len(_running_at(ev, m.start_s - 1e-6)) == limit
    # never more running than the limit, at any start or end instant
    for t in {m.start_s for m in ev.moves} | set(ends):
        assert len(_running_at(ev, t)) <= limit
    # the queued ones start in the order they were asked for (largest VM first)
    order = [m.vm for m in sorted(queued, key=lambda m: m.start_s)]
    assert order == [m.vm for m in ev.moves if m.queued]
    text = str(ev)
    assert "(queued)" in text and "queued until a slot freed" in text
    assert json.loads(json.dumps(ev.to_dict()))["queued"] == [m.vm for m in queued]


def test_total_time_is_when_the_last_migration_ends(crowded_plan):
    ev = crowded_plan
    assert ev.total_s == pytest.approx(max(m.end_s for m in ev.moves))
    assert ev.total_s >= ev.longest_s > 0
    # a queued one waited as long as it was queued, and ran with the link shared by those running
    for m in ev.queued:
        assert m.queued_s == m.start_s and 1 <= m.concurrent <= HOST_MAX


def test_a_1_gbe_vmotion_network_starts_four_at_once(crowded):
    # 1 GbE vMotion network: network cost limit 4 per host (fact sheet §3, T12)
    env, p = crowded
    for up in env.host(p["host_x"]).uplinks:
        env = env.set_uplink(p["host_x"], up.name, speed_mbps=1000)
    assert network_max(env, p["host_x"]) == 4
    ev = plan_evacuation(env, p["host_x"])
    assert len([m for m in ev.moves if m.start_s == 0]) == 4
    assert len(ev.queued) == len(p["vm_list"]) - 4
    for t in {m.start_s for m in ev.moves}:
        assert len(_running_at(ev, t)) <= 4


def test_host_ends_empty_in_maintenance_mode_and_targets_not_overcommitted(crowded, crowded_plan):
    env, p = crowded
    after = crowded_plan.environment
    assert not after.vms_on(p["host_x"]) and after.host(p["host_x"]).maintenance_mode
    assert not env.host(p["host_x"]).maintenance_mode
    for t in (p["host_y"], p["host_z"]):
        assert free_memory_gib(after, t) >= 0
    # the plan needs both targets: neither can take everything
    assert {m.target for m in crowded_plan.moves} == {p["host_y"], p["host_z"]}


def test_largest_vm_goes_where_drs_sees_most_free_memory(crowded, crowded_plan):
    env, p = crowded
    first = max(env.vms_on(p["host_x"]), key=lambda v: (v.memory_gib, -ord(v.name[-1])))
    best = max((p["host_y"], p["host_z"]), key=lambda h: (free_memory_gib(env, h), h))
    move = next(m for m in crowded_plan.moves if m.vm == first.name)
    if free_memory_gib(env, p["host_y"]) != free_memory_gib(env, p["host_z"]):
        assert move.target == best
    assert "most free memory" in move.placement


def test_concurrent_vmotions_share_the_link():
    env = load_scenario("blocking-devices")
    ev = plan_evacuation(env, "esx-61")
    moving = [m for m in ev.moves if m.ok]
    n = len(moving)
    assert n >= 2
    alone = vmotion_bandwidth(env, "esx-61", "esx-62").effective_gbps
    for m in moving:
        enc = encrypted_vmotion_used(env, m.vm, "esx-61", "esx-62")
        shared = vmotion_bandwidth(env, "esx-61", "esx-62", concurrent=n,
                                   encrypted=enc).effective_gbps
        assert m.concurrent == n and m.share_gbps == pytest.approx(shared) and shared < alone
    db = next(m for m in moving if m.vm == "db02")
    solo = migrate(env, MigrationRequest("db02", target="esx-62"))
    assert db.precopy_s > solo.precopy.precopy_s


def test_blocked_vm_reported_with_its_finding():
    ev = plan_evacuation(load_scenario("blocking-devices"), "esx-61")
    assert not ev.ok
    gpu = next(m for m in ev.blocked if m.vm == "gpu01")
    assert gpu.wave is None and gpu.target is None
    assert gpu.findings and gpu.findings[0].code == "DisallowedMigrationDeviceAttached"
    assert "gpu01" in gpu.problem
    assert ev.environment.vm("gpu01").host == "esx-61"
    assert not ev.environment.host("esx-61").maintenance_mode
    text = str(ev)
    assert "BLOCKED gpu01" in text and "DisallowedMigrationDeviceAttached" in text
    assert "<table>" in ev._repr_html_() and "gpu01" in ev._repr_html_()
    d = json.loads(json.dumps(ev.to_dict()))
    assert "gpu01" in d["blocked"] and d["ok"] is False


def test_given_waves_report_queuing_and_overcommitment(crowded):
    env, p = crowded
    everyone = [[v["name"], p["host_y"]] for v in p["vm_list"]]
    ev = simulate_evacuation(env, [everyone])
    assert any("would be queued (" in pr for pr in ev.problems)
    assert any("could not move" in pr for pr in ev.problems)
    assert ev.environment.vms_on(p["host_x"])


def test_same_seed_same_plan(crowded):
    env, p = crowded
    plan = [[[v["name"], p["host_y"]]] for v in p["vm_list"][:2]]
    a, b = simulate_evacuation(env, plan, seed=3), simulate_evacuation(env, plan, seed=3)
    assert a.total_s == b.total_s and a.to_dict() == b.to_dict()


def test_bad_targets_are_refused():
    env = load_scenario("healthy-cluster")
    with pytest.raises(ConfigError, match="targets"):
        plan_evacuation(env, "esx-01", targets=["esx-01"])
    with pytest.raises(ConfigError, match="host"):
        plan_evacuation(env, "esx-09")


def test_cli_exit_codes_and_json(capsys):
    assert main(["evacuate", "healthy-cluster", "--host", "esx-01", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["ok"] and out["maintenance_mode"] and sorted(out["waves"][0]) == ["db01", "web01"]
    assert out["total_s"] >= max(m["duration_s"] for m in out["moves"])
    assert main(["evacuate", "blocking-devices", "--host", "esx-61"]) == 1
    assert "BLOCKED" in capsys.readouterr().out
    assert main(["evacuate", "healthy-cluster", "--host", "esx-09"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: --host:") and err.count("\n") == 1
    assert main(["evacuate", "healthy-cluster"]) == 2


def test_simulator_only_errors_are_reported_as_started_then_failed_not_blocked():
    # vCenter's pre-check passes N1/N5b, so vCenter would start the move and the task would fail
    # where the rule catalogue says (fact sheet §2.3 N1/N5b, §5 T3/T4); the VM stays
    from vmotion_core.compat import RULES
    from vmotion_core.compat.rules import LATE_STAGES
    env = load_scenario("broken-vmotion-network")
    for targets, rule_id in ((["esx-43"], "N1"), (["esx-45"], "N5b"),
                             (None, "N1")):  # esx-42 (H1) ranks first, vCenter starts on esx-43
        ev = plan_evacuation(env, "esx-41", targets=targets)
        r = RULES[rule_id]
        assert not ev.ok and ev.blocked == () and len(ev.late_failures) == 2
        for m in ev.late_failures:
            lf = m.failed_at
            assert m.started and not m.ok and m.wave is None
            assert (lf.rule_id, lf.stage, lf.percent, lf.message) == (
                rule_id, r.fails_at, r.fails_at_percent, r.runtime_message)
            direct = migrate(env, MigrationRequest(m.vm, target=m.target))
            assert direct.failed_at.rule_id == rule_id and m.duration_s == direct.failed_at.t_s
            assert "passes vCenter's compatibility check, so vCenter would start it" in m.problem
            assert LATE_STAGES[r.fails_at] in m.problem and r.runtime_message in m.problem
            assert ((f"at {r.fails_at_percent}%" in m.problem) == (r.fails_at_percent is not None))
            assert ev.environment.vm(m.vm).host == "esx-41"
        text = str(ev)
        assert "BLOCKED" not in text and text.count("STARTED, THEN FAILED") == 2
        d = ev.to_dict()
        assert d["blocked"] == [] and sorted(d["late_failures"]) == ["app41", "web41"]
        assert d["moves"][0]["started"] and d["moves"][0]["failed_at"]["rule_id"] == rule_id
        json.dumps(d)
        assert "Started, then failed" in ev._repr_html_()
    assert plan_evacuation(env, "esx-41", targets=["esx-43"]).late_failures[0].target == "esx-43"
    assert plan_evacuation(env, "esx-41").late_failures[0].target == "esx-43"
    # a vCenter pre-check error is still "blocked"
    ev = plan_evacuation(env, "esx-41", targets=["esx-42", "esx-46"])
    assert len(ev.blocked) == 2 and ev.late_failures == () and "BLOCKED app41" in str(ev)


def test_given_wave_with_a_late_failure_waits_for_it():
    env = load_scenario("broken-vmotion-network")
    ev = simulate_evacuation(env, [[("app41", "esx-43"), ("web41", "esx-42")]])
    late, = ev.late_failures
    blocked, = ev.blocked
    assert (late.vm, late.failed_at.percent, blocked.vm) == ("app41", 10, "web41")
    assert blocked.failed_at is None and "is blocked (VMotionNotConfigured)" in blocked.problem
    assert ev.wave_s == (pytest.approx(late.failed_at.t_s),) and late.problem.startswith("wave 1: ")
