"""``MigrationResult.status`` is decided once, by ``execute`` (``migrate = classify -> check ->
execute``), and everyone reads it; a run whose stun misses the switchover goal says so."""

import dataclasses
import json

import pytest

from vmotion_core.compat import check_plan
from vmotion_core.inventory import load_scenario
from vmotion_core.migration import STATUSES, decide, execute, migrate
from vmotion_core.plan import MigrationRequest as R, classify
from vmotion_core.precopy import Link, Policy, PrecopyConfig, Workload, simulate_precopy
from vmotion_core.widgets import MigrateWizard


def _blocked():
    return load_scenario("blocking-devices"), R("gpu01", target="esx-62")


def _not_run():
    env = load_scenario("long-distance").set_site_link("fra", "nyc", rtt_ms=160)
    return env, R("trade01", target="esx-nyc-01", datastore="nyc-vmfs01")


def _failed_late():
    return load_scenario("broken-vmotion-network"), R("app41", target="esx-43")


def _ok():
    return load_scenario("healthy-cluster"), R("web01", target="esx-02")


def _slow():
    """db01 (64 GiB, 300 MiB/s of writes) over 1 GbE: SDPS cannot bring it under the goal."""
    env = load_scenario("healthy-cluster")
    for host in ("esx-01", "esx-02"):
        for nic in ("vmnic0", "vmnic1", "vmnic2", "vmnic3"):
            env = env.set_uplink(host, nic, speed_mbps=1000)
    w = env.vm("db01").workload
    return env.set_vm("db01", workload=dataclasses.replace(w, dirty_rate_mibps=300)), \
        R("db01", target="esx-02")


@pytest.mark.parametrize("case, status, started", [(_ok, "ok", True), (_blocked, "blocked", False),
                                                   (_not_run, "not-run", False),
                                                   (_failed_late, "failed-late", True)])
def test_each_status_and_what_follows_from_it(case, status, started):
    env, req = case()
    r = migrate(env, req)
    assert r.status == status and r.ok == (status == "ok") and r.started == started
    assert (r.failed_at is not None) == (status == "failed-late")
    assert (r.environment is env) == (status != "ok")
    d = json.loads(json.dumps(r.to_dict()))
    assert d["status"] == status and d["ok"] == r.ok
    head = str(r).splitlines()[0]
    assert {"ok": ": OK", "blocked": ": BLOCKED (", "not-run": ": NOT RUN (",
            "failed-late": ": STARTED, THEN FAILED ("}[status] in head


def test_migrate_is_classify_then_check_then_execute():
    env, req = _failed_late()
    plan = classify(env, req)
    findings = check_plan(env, req, plan)
    assert decide(plan, findings).status == "failed-late"
    assert execute(env, req, plan, findings) == migrate(env, req)


def test_execute_shares_the_vmotion_network_with_concurrent_moves():
    env, req = _ok()
    plan = classify(env, req)
    findings = check_plan(env, req, plan)
    alone = execute(env, req, plan, findings)
    shared = execute(env, req, plan, findings, concurrent=4)
    assert shared.bandwidth.effective_gbps < alone.bandwidth.effective_gbps
    assert shared.precopy.precopy_s > alone.precopy.precopy_s


def test_a_status_outside_the_four_is_refused():
    r = migrate(*_ok())
    with pytest.raises(ValueError, match="status"):
        dataclasses.replace(r, status="fine")
    assert STATUSES == ("ok", "blocked", "not-run", "failed-late")


def test_a_stun_above_the_switchover_goal_is_not_reported_as_plain_success():
    r = migrate(*_slow())
    assert r.status == "ok" and r.stun_ms > 1000 and r.stun_over_goal
    head = str(r).splitlines()[0]
    assert "OK, BUT THE SWITCHOVER GOAL WAS MISSED" in head
    assert "above the 500 ms switchover goal (KB 436882)" in r.summary
    assert "inaccessible to its users" in r.summary and "hang" in r.summary
    assert "fails a switchover only beyond 100 s" in r.summary
    d = r.to_dict()
    assert d["stun_over_goal"] is True and d["stun_note"] == r.stun_note


def test_a_run_within_the_goal_has_no_note():
    r = migrate(*_ok())
    assert r.stun_ms < 500 and not r.stun_over_goal and r.stun_note == ""
    assert "GOAL" not in str(r) and r.to_dict()["stun_over_goal"] is False


def test_the_precopy_summary_says_it_too():
    base = PrecopyConfig(memory_gib=16, link=Link(bandwidth_gbps=10), policy=Policy(sdps=False))
    slow = simulate_precopy(base.replace(workload=Workload("uniform", 2000)))
    fast = simulate_precopy(base.replace(workload=Workload("uniform", 200)))
    assert slow.ok and not slow.converged and slow.downtime_ms > 10_000
    assert "switchover goal   Switchover goal missed: the VM was stunned for 10." in str(slow)
    assert "hang" in slow.stun_note
    assert fast.converged and fast.stun_note == "" and "goal missed" not in str(fast)


def test_the_wizard_shows_the_missed_goal_after_completed():
    env, req = _slow()
    wiz = MigrateWizard(env, vm="db01")
    wiz.next()
    wiz.controls["target"].value = "esx-02"
    while wiz.step < 5:
        wiz.next()
    res = wiz.finish()
    out = wiz.outcome.value
    assert res.stun_over_goal and "completed" in out and "Switchover goal missed" in out
    assert out.index("completed") < out.index("Switchover goal missed")


def test_the_wizard_reads_not_run_from_the_status():
    env, req = _not_run()
    wiz = MigrateWizard(env, vm="trade01")
    wiz.controls["type"].value = "Change both compute resource and storage"
    wiz.next()
    wiz.controls["target"].value = "esx-nyc-01"
    wiz.next()
    wiz.controls["datastore"].value = "nyc-vmfs01"
    while wiz.step < 5:
        wiz.next()
    res = wiz.finish()
    assert res.status == "not-run" and "Not run: " in wiz.outcome.value


def test_the_package_exports_the_planning_names():
    import vmotion_core
    from vmotion_core import migration
    assert vmotion_core.MigrationRequest is migration.MigrationRequest
    assert vmotion_core.classify is migration.classify


def test_the_precopy_explorer_says_it_too():
    from vmotion_core.widgets import PrecopyExplorer
    ex = PrecopyExplorer(sdps=False, dirty_rate_mibps=2000)
    assert ex.result.ok and ex.result.stun_note
    assert "Switchover goal missed" in ex.summary.value and "GOAL MISSED" in ex.heading.value


def test_the_timeline_figure_reads_the_status_and_the_missed_goal():
    from vmotion_core.viz import alt_text, plot_timeline
    blocked = plot_timeline(migrate(*_blocked()))
    assert alt_text(blocked).endswith("The migration was blocked by vCenter's pre-check.")
    assert "blocked by vCenter's pre-check" in blocked.axes[0].get_title(loc="left")
    slow = plot_timeline(migrate(*_slow()))
    assert "switchover goal of 500 ms missed" in slow.axes[0].get_title(loc="left")
    assert "Switchover goal missed" in alt_text(slow)
    ok = plot_timeline(migrate(*_ok()))
    assert "missed" not in ok.axes[0].get_title(loc="left") + alt_text(ok)
