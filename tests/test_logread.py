"""Reading a stun time from logs the way KB 436882 does (vmotion_core.logread), on the
simulator's own log lines and on lines in the KB's published shape."""

import pytest

from vmotion_core.inventory import load_scenario
from vmotion_core.logread import check_stun_answer, log_files, migration_ids, read_stun
from vmotion_core.migration import MigrationRequest, migrate

KB_VMWARE = ("2026-04-14T15:38:20.244Z| vmx| I120: Migrate_Open: Restoring from <10.0.0.2> with "
             "migration id 1446046703473901\n"
             "2026-04-14T15:38:20.300Z| vcpu-0| I120: Checkpoint_Unstun: vm stopped for 140100 us")
KB_VMKERNEL = ("2026-04-14T15:38:20.160Z cpu0:151370)VMotion: 4650: 1446046703473901 S: Stopping "
               "pre-copy: only 1296 pages left to send, which can be sent within the switchover "
               "time goal of 0.500 seconds (network bandwidth ~145.404 MB/s, 101088% t2d)\n"
               "2026-04-14T15:38:20.213Z cpu1:151421)VMotionSend: 4156: 1446046703473901 S: Sent "
               "all modified pages to destination (network bandwidth ~145.404 MB/s)")


@pytest.fixture(scope="module")
def two_runs():
    env = load_scenario("healthy-cluster")
    return (migrate(env, MigrationRequest("web01", target="esx-02"), seed=11),
            migrate(env, MigrationRequest("db01", target="esx-02"), seed=11))


def _excerpt(web, db):
    vmw = log_files(web.log_lines)["vmware.log"]
    vmk = "\n".join(sorted(log_files(web.log_lines)["esx-01 vmkernel.log"].splitlines()
                           + log_files(db.log_lines)["esx-01 vmkernel.log"].splitlines()))
    return vmw, vmk


def test_kb_shaped_lines():
    assert migration_ids(KB_VMWARE) == ["1446046703473901"]
    r = read_stun(KB_VMWARE, KB_VMKERNEL)
    assert (r.pages_left, r.stun_ms, round(r.window_ms)) == (1296, 140.1, 140)
    assert "Sent all modified pages" in r.sent_line


def test_the_simulators_log_gives_the_engines_stun(two_runs):
    for run in two_runs:
        files = log_files(run.log_lines)
        assert set(files) >= {"vmware.log", "esx-01 vmkernel.log", "esx-02 vmkernel.log",
                              "vc01 vpxd.log"}
        assert not any(line.startswith("esx-") for line in files["vmware.log"].splitlines())
        r = read_stun(files["vmware.log"], files["esx-01 vmkernel.log"])
        assert r.migration_id == str(run.migration_id)
        assert r.pages_left == run.precopy.final_pages
        assert r.stun_ms == pytest.approx(run.stun_ms, abs=0.001)
        assert r.window_ms == pytest.approx(run.stun_ms, abs=2)  # millisecond timestamps


def test_the_other_migrations_lines_are_not_taken(two_runs):
    web, db = two_runs
    vmw, vmk = _excerpt(web, db)
    assert str(db.migration_id) in vmk and migration_ids(vmw) == [str(web.migration_id)]
    assert read_stun(vmw, vmk).pages_left == web.precopy.final_pages != db.precopy.final_pages


def test_check_stun_answer_feedback(two_runs):
    web, db = two_runs
    vmw, vmk = _excerpt(web, db)
    ok, msg = check_stun_answer(vmw, vmk, str(web.migration_id), round(web.stun_ms, 1))
    assert ok and "Checkpoint_Unstun" in msg
    assert check_stun_answer(vmw, vmk, web.migration_id, web.stun_ms)[0]  # an int ID works too
    assert check_stun_answer(vmw, vmk, None, None) == (False, check_stun_answer(vmw, vmk, 1, None)[1])
    ok, msg = check_stun_answer(vmw, vmk, db.migration_id, web.stun_ms)
    assert not ok and "does not appear" in msg
    ok, msg = check_stun_answer(vmw, vmk, web.migration_id, round(web.stun_ms * 1000))
    assert not ok and "microseconds" in msg
    for bad in (web.stun_ms + 50, "fast", float("nan")):
        ok, msg = check_stun_answer(vmw, vmk, web.migration_id, bad)
        assert not ok and "Not this one" in msg


def test_missing_lines_are_named():
    with pytest.raises(ValueError, match="vmware_log: no 'migration id'"):
        read_stun("", KB_VMKERNEL)
    with pytest.raises(ValueError, match="vmkernel_log: no 'Stopping pre-copy'"):
        read_stun(KB_VMWARE, "")
    with pytest.raises(ValueError, match="Checkpoint_Unstun"):
        read_stun(KB_VMWARE.splitlines()[0], KB_VMKERNEL)
