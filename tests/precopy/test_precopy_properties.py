"""Properties of the pre-copy model that hold for every configuration (hypothesis).

- A round cannot dirty more distinct pages than the guest wrote, nor more than memory has:
  ``pages_dirtied <= min(page_writes, n_pages)``, on the page bitmap and per region alike.
- A sweep with exact write counts is the fluid model: the engine equals the closed form
  (:func:`analytic_precopy`) to page rounding, for any memory, bandwidth, dirty ratio and goal.

The examples are derandomised so CI sees the same ones every run; run with
``--hypothesis-seed=random`` locally to look further.
"""

import math

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from precopy_helpers import BACKENDS, workloads

from vmotion_core.precopy import (Link, Policy, PrecopyConfig, PrecopyRun, Workload, _dirty,
                                  analytic_precopy, simulate_precopy, stop_threshold_bytes)

PROPERTY = settings(deadline=None, derandomize=True, database=None,
                    suppress_health_check=[HealthCheck.too_slow])

_workload = workloads(4000, 0.001)
_config = st.builds(
    PrecopyConfig,
    memory_gib=st.floats(1 / 1024, 0.25),
    workload=_workload,
    link=st.builds(Link, bandwidth_gbps=st.floats(0.05, 25), rtt_ms=st.floats(0, 20)),
    policy=st.builds(Policy, name=st.sampled_from(["vmotion", "qemu", "xen"]),
                     sdps=st.booleans(), max_time_s=st.just(60.0)),
    exact_writes=st.booleans(),
    heatmap=st.booleans(),
    seed=st.integers(0, 2**32))


@settings(PROPERTY, max_examples=60)
@given(cfg=_config, backend=st.sampled_from(BACKENDS), regions=st.booleans(),
       rounds=st.integers(1, 6))
def test_a_round_dirties_at_most_min_of_writes_and_pages(cfg, backend, regions, rounds):
    run = PrecopyRun(cfg, backend=backend)
    saved = _dirty.PAGE_LEVEL_MAX_PAGES
    _dirty.PAGE_LEVEL_MAX_PAGES = 0 if regions else saved  # per region: no bitmap at all
    try:
        while not run.done and len(run.rounds) < rounds:
            run.step()
    finally:
        _dirty.PAGE_LEVEL_MAX_PAGES = saved
    for r in run.rounds:
        assert 0 <= r.pages_dirtied <= min(r.page_writes, cfg.n_pages), r
        assert r.detail == ("regions" if regions else "pages")


@settings(PROPERTY, max_examples=40)
@given(memory_gib=st.floats(0.125, 2), bandwidth_gbps=st.floats(1, 25), lam=st.floats(0.02, 0.9),
       policy=st.sampled_from(["vmotion", "qemu"]), goal_ms=st.floats(20, 2000),
       checkpoint_mib=st.floats(0, 8), backend=st.sampled_from(BACKENDS))
def test_a_sweep_follows_the_closed_form(memory_gib, bandwidth_gbps, lam, policy, goal_ms,
                                         checkpoint_mib, backend):
    link = Link(bandwidth_gbps=bandwidth_gbps, efficiency=1.0, rtt_ms=0)
    rate_mibps = lam * link.effective_bps / 2**20
    cfg = PrecopyConfig(memory_gib=memory_gib, workload=Workload("sweep", rate_mibps), link=link,
                        exact_writes=True, checkpoint_mib=checkpoint_mib, resume_ms=0,
                        policy=Policy(name=policy, sdps=False, goal_ms=goal_ms,
                                      downtime_limit_ms=goal_ms))
    ref = analytic_precopy(cfg)
    page = cfg.page_bytes
    threshold = stop_threshold_bytes(cfg)
    assume(ref.converged and threshold > 64 * page)
    # page rounding: each round's dirty set is the fluid one within 1/(1-λ) pages; keep clear of
    # the threshold by more than that so the round count itself cannot flip
    slack = (1 / (1 - lam) + 2) * page
    n = ref.precopy_rounds
    for k in (n - 1, n):
        if k >= 1:
            assume(abs(cfg.memory_bytes * lam ** k - threshold) > slack)
    res = simulate_precopy(cfg, backend=backend)
    page_s = page / link.effective_bps
    assert res.n_rounds == n and res.converged
    assert res.bytes_sent == pytest.approx(ref.total_bytes, abs=(n + 1) * 2 * page)
    assert res.total_time_s == pytest.approx(ref.total_time_s, abs=(n + 1) * 2 * page_s)
    assert res.downtime_ms == pytest.approx(ref.downtime_s * 1e3,
                                            abs=(1 / (1 - lam) + 1) * page_s * 1e3)
    for r in res.rounds[1:]:  # every round after the first is the fluid V_i, to rounding
        fluid = cfg.memory_bytes * lam ** r.index
        assert math.isclose(r.bytes_sent, fluid, abs_tol=slack)
