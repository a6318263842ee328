"""lab07 (capstone) over a sample of variants: the start state fails and scores 0, the reference
solution gets full marks on every sampled variant, every variant needs the same work (one network
fix on the destination, bigger vMotion uplinks, one device to disconnect, one storage move), and
each variant's symptoms lead to exactly one answer on the root-cause menu.

The generic lab tests (``test_labs.py``: fault injectors, hand-ins, notebook) cover lab07 too."""

import pytest

from vmotion_core.migration import MigrationRequest, migrate
from vmotion_labs import Lab
from vmotion_labs.grading.instructor import all_params, grade
from vmotion_labs.grading.oplog import plain_env
from vmotion_labs.lab05_troubleshooting.faults import CATALOGUE
from vmotion_labs.lab05_troubleshooting.solution import FIXES
from vmotion_labs.lab07_capstone import FAULT_IDS, MENU_IDS
from vmotion_labs.lab07_capstone.solution import UPLINK_MBPS, solve

SAMPLE = [f"learner{i:02d}" for i in range(24)]


def _healthy(lab):
    """The learner's site with its network fault fixed (nothing else changed)."""
    p = all_params(lab)
    return FIXES[p["fault"]](plain_env(lab.start_env), p), p


def _symptom(env, p):
    """What a learner can see: the error codes of the database VM's dry run (pre-check and run
    time) and which settings of the destination's vMotion side differ from the source's."""
    res = migrate(env, MigrationRequest(p["vm_db"], p["host_b"]))
    codes = tuple(sorted({f.code for f in res.findings if f.severity == "error"}))
    a, b = env.host(p["host_a"]), env.host(p["host_b"])
    diff = set()
    if len(a.vmknics) != len(b.vmknics):
        diff.add("number of vmknics")
    for va, vb in zip(a.vmknics[1:], b.vmknics[1:]):      # vmk0 is management
        for what, get in (("subnet", lambda v: v.ip.rsplit(".", 1)[0]),
                          ("services", lambda v: tuple(v.services)),
                          ("stack", lambda v: v.tcpip_stack), ("vmk mtu", lambda v: v.mtu)):
            if get(va) != get(vb):
                diff.add(what)
    if [u.physical_mtu for u in a.uplinks] != [u.physical_mtu for u in b.uplinks]:
        diff.add("uplink mtu")
    diff = tuple(sorted(diff))
    return codes, diff


def test_sample_covers_every_fault():
    assert {all_params(Lab.open("lab07", x))["fault"] for x in SAMPLE} == set(FAULT_IDS)


@pytest.mark.parametrize("learner", SAMPLE)
def test_start_fails_solution_full_marks(learner):
    start = grade(Lab.open("lab07", learner))
    assert start.score == 0 and not start.passed, str(start)
    assert not any(r.crashed for r in start.results), str(start)
    lab = Lab.open("lab07", learner)
    solved = grade(solve(lab))
    assert solved.score == solved.max_score > 0, str(solved)


@pytest.mark.parametrize("learner", SAMPLE)
def test_every_variant_needs_the_same_work(learner):
    """Same steps on every variant: the network fault blocks every VM, the start uplinks miss the
    database VM's goal and the solution's uplinks meet it, the application VM's CD drive and the
    local VM's datastore block them until fixed."""
    lab = Lab.open("lab07", learner)
    env, p = _healthy(lab)
    for vm in (p["vm"], p["vm_local"], p["vm_db"]):
        assert not migrate(plain_env(lab.start_env), MigrationRequest(vm, p["host_b"])).ok
    slow = migrate(env, MigrationRequest(p["vm_db"], p["host_b"]))
    assert slow.ok and slow.stun_ms > p["goal_ms"]
    for host in (p["host_a"], p["host_b"]):
        env = env.set_uplink(host, "vmnic1", speed_mbps=UPLINK_MBPS)
    fast = migrate(env, MigrationRequest(p["vm_db"], p["host_b"]))
    assert fast.ok and fast.stun_ms <= p["goal_ms"]
    assert not any(r.throttle > 0 for r in fast.precopy.rounds)
    codes = {f.code for f in migrate(env, MigrationRequest(p["vm"], p["host_b"])).findings}
    assert "CannotAccessVmDevice" in codes
    assert not migrate(env, MigrationRequest(p["vm_local"], p["host_b"])).ok
    assert migrate(env, MigrationRequest(p["vm_local"], p["host_b"], p["shared"])).ok


@pytest.mark.parametrize("learner", SAMPLE[:6])
def test_symptoms_lead_to_exactly_one_menu_answer(learner):
    """Injected into the same healthy site, every menu entry looks different (error codes plus
    what differs between the hosts), so the learner's symptoms fit exactly one answer; and the
    learner's own start state looks exactly like its graded fault."""
    lab = Lab.open("lab07", learner)
    env, p = _healthy(lab)
    seen = {fid: _symptom(CATALOGUE[fid][1](env, p), p) for fid in MENU_IDS}
    assert len(set(seen.values())) == len(MENU_IDS), seen
    own = _symptom(plain_env(lab.start_env), p)
    assert [fid for fid, s in seen.items() if s == own] == [p["fault"]]
    assert all(s[0] for s in seen.values()), "every fault shows an error"


def test_menu_and_goals_do_not_give_the_fault_away():
    lab = Lab.open("lab07", "alice")
    brief = lab.briefing()
    assert list(brief["root causes"]) == list(MENU_IDS)
    assert "fault" not in lab.params
    assert list(brief["goals"]) == sorted(brief["goals"])
    p = lab.params
    assert all(p[role] in brief["ticket"] for role in ("vm", "vm_local", "vm_db"))
