"""Migrate wizard and network view driven headless."""

import pytest
import ipywidgets as widgets

from vmotion_core.compat import check_migration
from vmotion_core.inventory import load_scenario
from vmotion_core.migration import MigrationRequest
from vmotion_core.widgets.network_view import NetworkView
from vmotion_core.widgets.wizard import MigrateWizard

pytestmark = pytest.mark.filterwarnings("error")


def _to_review(wiz):
    while wiz.step < 5 and not wiz.b_next.disabled:
        wiz.next()
    return wiz.step


def test_wizard_compute_only_to_finish():
    env = load_scenario("healthy-cluster")
    wiz = MigrateWizard(env, vm="web01")
    assert wiz.step == 0 and wiz.b_finish.disabled
    wiz.next()
    assert wiz.step == 1
    wiz.controls["target"].value = "esx-02"
    assert wiz.request == MigrationRequest(vm="web01", target="esx-02",
                                           network_map={"VM-Prod": "VM-Prod"})
    assert wiz.findings == check_migration(env, wiz.request)
    assert "Compatibility checks succeeded." in wiz.compat.value
    assert _to_review(wiz) == 5 and not wiz.b_finish.disabled
    assert "esx-02" in wiz.review.value and "Storage" not in wiz.review.value
    res = wiz.finish()
    assert res.ok and res.migration_type == "compute-only"
    assert res.environment.vm("web01").host == "esx-02"
    assert "completed" in wiz.outcome.value and "Pre-copy iteration 0" in wiz.log.value
    assert wiz.timeline.renders == 1 and "migration of VM web01" in wiz.timeline.alt
    assert wiz.b_finish.disabled and wiz.finish() is None  # one task per wizard


def test_wizard_errors_block_next_like_vcenter():
    wiz = MigrateWizard(load_scenario("broken-vmotion-network"), vm="app41")
    wiz.next()
    wiz.controls["target"].value = "esx-46"
    assert not wiz.compatibility_ok and wiz.b_next.disabled
    assert "✗ Error" in wiz.compat.value and "no operational physical links" in wiz.compat.value
    wiz.next()
    assert wiz.step == 1  # refused
    checks = wiz.check_count
    wiz.controls["target"].value = "esx-42"
    assert wiz.check_count == checks + 1
    assert "not configured" in wiz.compat.value and wiz.b_next.disabled
    assert wiz.b_finish.disabled and wiz.finish() is None and wiz.result is None
    assert all(f.vcenter_checks for f in wiz.findings)
    assert "vmotion-simulator-sees" not in wiz.compat.value  # nothing only the simulator sees


def test_wizard_late_failure_does_not_block_and_fails_after_start():
    env = load_scenario("broken-vmotion-network")
    wiz = MigrateWizard(env, vm="app41")
    wiz.next()
    wiz.controls["target"].value = "esx-43"  # vmk1 in another subnet: N1, vCenter passes it
    assert [f.rule_id for f in wiz.findings] == ["N1"] and wiz.vcenter_findings == []
    assert [f.rule_id for f in wiz.simulator_findings] == ["N1"]
    assert wiz.compatibility_ok and not wiz.b_next.disabled
    panel = wiz.compat.value
    assert "✔ Compatibility checks succeeded." in panel  # what the vSphere Client would say
    # the simulator's finding sits in a collapsed block whose summary gives nothing away
    block = panel[panel.index("<details class='vmotion-simulator-sees'"):]
    assert "<details class='vmotion-simulator-sees'" in panel and " open" not in block[:60]
    summary = block[block.index("<summary"):block.index("</summary>")]
    assert "vCenter's check would pass" in summary and "subnet" not in summary
    assert "10 %" not in summary and "different subnets" in block
    assert _to_review(wiz) == 5 and not wiz.b_finish.disabled
    res = wiz.finish()
    assert not res.ok and res.started and res.failed_at.percent == 10
    assert res.failed_at.rule_id == "N1" and res.environment.vm("app41").host == "esx-41"
    out = wiz.outcome.value
    assert ("Task started, then failed at 10 % (vMotion data transfer): A general system error "
            "occurred: Failed waiting for data. Error 16. Invalid argument [KB 1003734/321009]; "
            "the VM keeps running on esx-41.") in out
    assert "failed at 10% (vMotion data transfer)" in wiz.log.value  # vpxd task line
    assert wiz.timeline.renders == 1 and "failed at 10 % (vMotion data transfer)" in wiz.timeline.alt
    assert wiz.b_finish.disabled and wiz.finish() is None


def test_wizard_cold_late_failure_says_the_vm_stays_registered():
    env = load_scenario("healthy-cluster").set_host("esx-01", blocked_tcp_ports=[902])
    wiz = MigrateWizard(env, vm="test01")
    wiz.controls["type"].value = "Change both compute resource and storage"
    wiz.next()
    wiz.controls["target"].value = "esx-01"
    wiz.next()
    wiz.controls["datastore"].value = "esx-01-local"
    assert wiz.compatibility_ok and wiz.simulator_findings
    assert _to_review(wiz) == 5
    res = wiz.finish()
    assert res.failed_at.stage == "nfc-copy" and res.failed_at.percent == 23
    assert "Task started, then failed at 23 % (NFC file copy)" in wiz.outcome.value
    assert "the VM stays registered on" in wiz.outcome.value


def test_wizard_storage_only_skips_compute_and_networks():
    env = load_scenario("healthy-cluster")
    wiz = MigrateWizard(env, vm="web01")
    wiz.controls["type"].value = "Change storage only"
    wiz.next()
    assert wiz.step == 2  # straight to storage
    wiz.controls["datastore"].value = "esx-01-local"
    assert wiz.request.target is None and wiz.request.datastore == "esx-01-local"
    assert _to_review(wiz) == 5
    res = wiz.finish()
    assert res.ok and res.migration_type == "storage-only"
    wiz.back()
    assert wiz.step == 4


def test_wizard_change_both_on_local_storage():
    env = load_scenario("no-shared-storage")
    wiz = MigrateWizard(env, vm="files01")
    wiz.next()
    wiz.controls["target"].value = "esx-12"
    assert not wiz.compatibility_ok  # compute-only cannot reach esx-11-local
    wiz.back()
    wiz.controls["type"].value = "Change both compute resource and storage"
    wiz.next()
    wiz.controls["target"].value = "esx-12"
    wiz.next()
    wiz.controls["datastore"].value = "esx-12-local"
    assert wiz.compatibility_ok
    assert _to_review(wiz) == 5
    assert wiz.finish().migration_type == "compute+storage"


def test_network_view_fixes_each_mistake_live():
    env = load_scenario("broken-vmotion-network")
    fixes = {"esx-42": ("vmotion", True), "esx-43": ("ip", "10.0.50.43"),
             "esx-44": ("vlan", 50), "esx-45": ("mtu", 1500)}
    for host, (key, value) in fixes.items():
        nv = NetworkView(env, host=host, show_topology=False)
        assert nv.request.target == host and nv.findings, host
        before = nv.update_count
        nv.controls["vmk1"][key].value = value
        assert nv.update_count == before + 1
        assert nv.findings == [], (host, nv.findings)
        assert "Compatibility checks succeeded." in nv.panel.value
        assert nv.env.changes and nv.env is not env


def test_network_view_rejects_bad_input_without_changing_env():
    nv = NetworkView(load_scenario("broken-vmotion-network"), host="esx-43", show_topology=False)
    env_before, count = nv.env, nv.update_count
    nv.controls["vmk1"]["ip"].value = "10.0.50.300"
    assert nv.env is env_before and nv.update_count == count
    assert "is not an IPv4 address" in nv.error and "Not applied" in nv.panel.value


def test_network_view_breaking_the_network_is_caught():
    nv = NetworkView(load_scenario("healthy-cluster"), host="esx-02")
    assert nv.findings == [] and nv.view.renders == 1
    nv.controls["vmk1"]["vmotion"].value = False
    assert [f.code for f in nv.findings] == ["VMotionNotConfigured"]
    assert nv.view.renders == 2 and "VMotionNotConfigured" in nv.view.alt
    nv.controls["vSwitch1"]["mtu"].value = 9000
    assert nv.env.host("esx-02").standard_switches[1].mtu == 9000


def test_network_view_long_names_get_an_ellipsis_and_a_tooltip():
    from vmotion_core.inventory import dump_scenario, load_scenario_text
    long = "Management Network of the production cluster"
    env = load_scenario_text(dump_scenario(load_scenario("healthy-cluster"))
                             .replace("Management Network", long), "long")
    nv = NetworkView(env, host="esx-02", show_topology=False)
    cells = [w for row in nv.table.children for w in getattr(row, "children", ())
             if isinstance(w, widgets.HTML)]
    pg = next(c for c in cells if f">{long}<" in c.value)
    assert "text-overflow:ellipsis" in pg.value and "white-space:nowrap" in pg.value
    assert f"title='{long} on vSwitch0'" in pg.value
    assert all(not getattr(c, "description", "") for c in nv.controls["vSwitch0"].values())
