"""switchover_threshold_bytes: the one formula of the vmotion stop rule, shared by the engine,
the closed form and the rounds chart."""

import pytest

from vmotion_core.precopy import (Link, Policy, PrecopyConfig, Workload, analytic_precopy,
                                  simulate_precopy, switchover_threshold_bytes, switchover_time_s)


@pytest.mark.parametrize("gbps,rtt_ms,ckpt", [(10, 0.0, 16), (1, 5.0, 8), (25, 150.0, 0)])
def test_threshold_is_the_inverse_of_switchover_time(gbps, rtt_ms, ckpt):
    cfg = PrecopyConfig(memory_gib=4, link=Link(bandwidth_gbps=gbps, rtt_ms=rtt_ms),
                        checkpoint_mib=ckpt)
    pages = switchover_threshold_bytes(cfg) / cfg.page_bytes
    assert pages > 0
    goal_s = cfg.policy.goal_ms / 1000
    assert switchover_time_s(cfg, pages) == pytest.approx(goal_s, rel=1e-12)
    assert switchover_time_s(cfg, int(pages)) <= goal_s < switchover_time_s(cfg, int(pages) + 1)


def test_threshold_goal_argument_and_negative_when_checkpoint_alone_is_too_big():
    cfg = PrecopyConfig(link=Link(bandwidth_gbps=1), checkpoint_mib=512)
    assert switchover_threshold_bytes(cfg) < 0
    assert switchover_threshold_bytes(cfg, goal_ms=10_000) > 0


@pytest.mark.parametrize("rate", [300, 900])
def test_engine_stops_at_the_threshold(rate):
    cfg = PrecopyConfig(memory_gib=8, workload=Workload("uniform", rate),
                        link=Link(bandwidth_gbps=10), policy=Policy(sdps=False), seed=3)
    res = simulate_precopy(cfg)
    thr = switchover_threshold_bytes(cfg)
    dirty = [r.pages_dirtied * cfg.page_bytes for r in res.rounds]
    assert res.converged and dirty[-1] <= thr and all(d > thr for d in dirty[:-1])


def test_closed_form_uses_the_same_threshold():
    cfg = PrecopyConfig(memory_gib=16, workload=Workload("uniform", 500), link=Link(10))
    thr = switchover_threshold_bytes(cfg)
    r = analytic_precopy(cfg)
    lam = cfg.workload.dirty_rate_mibps * 2**20 / cfg.link.effective_bps
    volume = [cfg.memory_bytes * lam ** n for n in (r.rounds - 1, r.rounds)]  # V_(n-1), V_n
    assert r.converged and volume[1] <= thr < volume[0]
