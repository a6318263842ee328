"""Host evacuation: placement, waves under the limits, shared-link times, blocked VMs, CLI."""

import json

import pytest

from vmotion_core._plan import free_memory_gib
from vmotion_core.cli import main
from vmotion_core.compat import check_batch, vmotion_bandwidth
from vmotion_core.compat.limits import HOST_MAX
from vmotion_core.compat.netpath import encrypted_vmotion_used
from vmotion_core.errors import ConfigError
from vmotion_core.evacuation import plan_evacuation, simulate_evacuation
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


def test_more_vms_than_the_host_limit_need_more_than_one_wave(crowded, crowded_plan):
    env, p = crowded
    ev = crowded_plan
    assert len(p["vm_list"]) > HOST_MAX
    assert ev.ok, str(ev)
    assert len(ev.waves) == -(-len(p["vm_list"]) // HOST_MAX) >= 2
    assert sorted(vm for w in ev.waves for vm in w) == sorted(v["name"] for v in p["vm_list"])
    for w in ev.waves:
        assert 0 < len(w) <= HOST_MAX
        batch = check_batch(env, [MigrationRequest(vm, target=ev.environment.vm(vm).host)
                                  for vm in w])
        assert batch.waves == 1 and not batch.queued


def test_total_time_is_the_sum_of_waves_and_at_least_the_longest_migration(crowded_plan):
    ev = crowded_plan
    assert ev.total_s >= ev.longest_s > 0
    for w, names in enumerate(ev.waves):
        durations = [m.duration_s for m in ev.moves if m.vm in names]
        assert ev.wave_s[w] == pytest.approx(max(durations))
    assert ev.total_s == pytest.approx(sum(ev.wave_s))
    starts = sorted({m.start_s for m in ev.moves})
    assert starts[1] == pytest.approx(ev.wave_s[0])


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
