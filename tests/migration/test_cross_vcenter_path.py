"""Cross-vCenter moves name their path (fact sheet §1.6, §1.7, §2.5): linked mode in the Migrate
wizard, Advanced Cross vCenter vMotion (7.0 U1c+, its own requirements), or only the API; the
plan, ``vmotion check`` and the wizard say which, and the checks test that path's requirements."""

import json

from vmotion_core.cli import main
from vmotion_core.compat import check_migration
from vmotion_core.inventory import load_scenario
from vmotion_core.migration import CROSS_VCENTER_PATHS, MigrationRequest, classify, migrate

XVC = MigrationRequest("crm01", target="esx-w01", datastore="ds-west")


def _errors(env):
    return [f.rule_id for f in check_migration(env, XVC) if f.severity == "error"]


def test_linked_mode_path():
    env = load_scenario("linked-vcenters")
    p = classify(env, XVC)
    assert p.cross_vcenter_path == "linked-mode"
    assert p.wizard_choice == "Change both compute resource and storage"
    assert f"path: {CROSS_VCENTER_PATHS['linked-mode']}" in p.notes


def test_different_sso_domains_use_acvm_and_check_its_requirements():
    env = load_scenario("linked-vcenters").set_vcenter("vc-west", sso_domain="west.local")
    p = classify(env, XVC)
    assert p.cross_vcenter_path == "acvm" and p.wizard_choice == "Cross vCenter Server export"
    assert _errors(env) == [] and migrate(env, XVC).ok
    # ACVM's own requirement: both vCenters 6.5 or later (KB 2106952), not linked mode's
    # same-version rule (VC2)
    old = env.set_vcenter("vc-east", version="6.0")
    assert _errors(old) == ["VC6"]
    assert _errors(env.set_vcenter("vc-east", version="6.7")) == []   # VC2 would refuse in ELM
    linked_mixed = load_scenario("linked-vcenters").set_vcenter("vc-east", version="6.7")
    assert classify(linked_mixed, XVC).cross_vcenter_path == "linked-mode"
    assert _errors(linked_mixed) == ["VC2"]


def test_no_client_path_before_7_0_u1c():
    env = (load_scenario("linked-vcenters").set_vcenter("vc-west", version="7.0",
                                                        sso_domain="west.local")
           .set_vcenter("vc-east", version="7.0"))
    assert classify(env, XVC).cross_vcenter_path == "api"
    f, = [f for f in check_migration(env, XVC) if f.severity == "error"]
    assert f.rule_id == "VC1" and "neither runs 7.0 U1c or later" in f.message
    # one side on 7.0 U1c is enough for ACVM
    assert classify(env.set_vcenter("vc-west", version="7.0 U1c"), XVC).cross_vcenter_path == "acvm"


def test_check_command_names_the_path(tmp_path, capsys):
    env = load_scenario("linked-vcenters").set_vcenter("vc-west", sso_domain="west.local")
    from vmotion_core.inventory import dump_scenario
    path = tmp_path / "acvm.yaml"
    path.write_text(dump_scenario(env))
    assert main(["check", str(path), "--vm", "crm01", "--to", "esx-w01",
                 "--datastore", "ds-west"]) == 0
    out = capsys.readouterr().out
    assert "(Cross vCenter Server export)" in out and "path: Advanced Cross vCenter vMotion" in out
    assert main(["check", str(path), "--vm", "crm01", "--to", "esx-w01", "--datastore", "ds-west",
                 "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["plan"]["cross_vcenter_path"] == "acvm"


def test_wizard_names_the_path():
    from vmotion_core.widgets import MigrateWizard
    env = load_scenario("linked-vcenters").set_vcenter("vc-west", sso_domain="west.local")
    wiz = MigrateWizard(env, vm="crm01")
    wiz.request = XVC
    assert wiz._cross_vcenter_path() == "acvm"
    assert "Advanced Cross vCenter vMotion" in wiz._review_html()
