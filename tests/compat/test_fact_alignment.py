"""Rules whose behaviour was aligned with vmotion-facts.md by the fact check: each test names the
fact it pins down."""

import dataclasses

from vmotion_core.compat import RULES, check_migration
from vmotion_core.inventory import load_scenario
from vmotion_core.migration import MigrationRequest as R

XVC = R("crm01", target="esx-w01", datastore="ds-west")


def _west_without_vm_prod(env):
    """linked-vcenters with dvs-west's 'VM-Prod' renamed: esx-w01 is not in crm01's vDS."""
    dvs = tuple(dataclasses.replace(d, port_groups=tuple(
        dataclasses.replace(pg, name="VM-Prod-W") if pg.name == "VM-Prod" else pg
        for pg in d.port_groups)) if d.name == "dvs-west" else d for d in env.distributed_switches)
    return dataclasses.replace(env, distributed_switches=dvs)


def _n6(env, req):
    return [(f.rule_id, f.severity) for f in check_migration(env, req) if f.rule_id.startswith("N6")]


def test_n6_vds_backing_missing_on_destination_blocks_even_when_disconnected():
    # §2.3 N6 [S4][S87]: error if the NIC is connected (vSS) *or* the backing is a vDS the
    # destination is not a member of; otherwise a warning
    base = load_scenario("linked-vcenters")
    on = _west_without_vm_prod(base)
    off = _west_without_vm_prod(base.set_nic("crm01", "Network adapter 1", connected=False))
    assert _n6(on, XVC) == [("N6", "error")]
    assert _n6(off, XVC) == [("N6w", "error")]


def test_n6_disconnected_nic_on_standard_switch_only_warns():
    env = load_scenario("healthy-cluster").set_nic("web01", "Network adapter 1", connected=False)
    req = R("web01", target="esx-02", network_map={"VM-Prod": "VM Prod"})
    assert _n6(env, req) == [("N6w", "warning")]


def test_n6b_does_not_borrow_an_unrelated_api_fault():
    # §1.9 [S38n]: VMotionAcrossNetworkNotSupported means the host cannot change a running VM's
    # network at all; the vDS->vSS block [S14] is a destination network that exists but cannot be
    # used, the API's CannotUseNetwork
    r = RULES["N6b"]
    assert r.code == "CannotUseNetwork" and r.fault_documented
    assert "VMotionAcrossNetworkNotSupported" not in r.source


def test_h10_ip_family_is_a_vmotion_condition_only():
    # §2.1 H10 [S5] comes from "VM Conditions and Limitations for vSphere vMotion"
    env = load_scenario("healthy-cluster").set_host("esx-02", management_ip="fd00::12")
    live = check_migration(env, R("web01", target="esx-02"))
    cold = check_migration(env, R("test01", target="esx-01"))
    assert any(f.rule_id == "H10" and f.severity == "error" for f in live)
    assert not any(f.rule_id == "H10" for f in cold)
    assert RULES["H10"].severity_for(powered_on=False) is None
