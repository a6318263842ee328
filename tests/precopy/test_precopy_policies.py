"""Stop policies: vMotion goal + SDPS + 100 s failure, QEMU threshold, Xen caps."""

import pytest
from precopy_helpers import fluid_config

from vmotion_core.precopy import (Link, Policy, PrecopyConfig, Workload, simulate_precopy,
                                  switchover_failure_message)

VSPHERE_T13 = ("The migration has exceeded the maximum switchover time of 100 second(s). "
               "ESX has preemptively failed the migration to allow the VM to continue running "
               "on the source.")


def _outpaced(sdps, **kw):
    """Dirtying (2 GiB/s) outpaces a 10 Gbit/s link (~1.1 GiB/s)."""
    return PrecopyConfig(memory_gib=1, workload=Workload("uniform", 2048),
                         link=Link(bandwidth_gbps=10), policy=Policy(sdps=sdps, **kw), seed=5)


def test_sdps_engages_when_dirtying_outpaces_the_link_and_then_converges(backend):
    res = simulate_precopy(_outpaced(True), backend=backend)
    assert res.outcome == "switched-over" and res.converged
    assert res.rounds[0].throttle == 0  # inactive unless needed
    assert res.max_throttle > 0
    assert res.downtime_ms <= 500 + res.config.resume_ms
    first = next(i for i, r in enumerate(res.rounds) if r.throttle > 0)
    before = res.rounds[first - 1]
    assert before.pages_dirtied >= 0.95 * before.pages_sent  # engaged because no progress
    # once engaged, SDPS holds the guest back until the switchover
    assert all(r.throttle > 0 for r in res.rounds[first:])


def test_without_sdps_the_same_vm_does_not_meet_the_goal(backend):
    res = simulate_precopy(_outpaced(False), backend=backend)
    assert not res.converged and res.max_throttle == 0
    assert res.outcome == "switched-over"  # within 100 s, so it is forced through with a long stun
    assert res.downtime_ms > 500
    assert "SDPS is off" in res.stop_reason


def test_switchover_beyond_100_s_fails_with_vsphere_wording(backend):
    # 2 GiB hot set rewritten all the time; at ~94 Mbit/s the final copy would take ~180 s
    cfg = PrecopyConfig(memory_gib=4, workload=Workload("hotset", 1024, hot_fraction=0.5,
                                                        hot_share=1.0),
                        link=Link(bandwidth_gbps=0.1), policy=Policy(sdps=False), seed=1)
    res = simulate_precopy(cfg, backend=backend)
    assert res.outcome == "failed" and not res.converged
    assert res.stop_reason.endswith(VSPHERE_T13)
    assert res.switchover_s > 100
    assert res.downtime_ms == 0 and res.final_bytes == 0  # the VM never stopped
    assert res.bytes_sent == sum(r.bytes_sent for r in res.rounds)
    # a higher vmotion.maxSwitchoverSeconds lets the same migration through
    ok = simulate_precopy(cfg.replace(policy=Policy(sdps=False, max_switchover_s=400)),
                          backend=backend)
    assert ok.outcome == "switched-over" and ok.downtime_ms > 100_000


def test_failure_message_uses_the_configured_limit():
    assert switchover_failure_message(100) == VSPHERE_T13
    assert "of 250 second(s)" in switchover_failure_message(250)


def test_goal_is_the_vmotion_switch_rule(backend):
    base = PrecopyConfig(memory_gib=1, workload=Workload("sweep", 200), exact_writes=True,
                         link=Link(bandwidth_gbps=10))
    res = simulate_precopy(base, backend=backend)
    goal_s = 0.5
    last = res.rounds[-1]
    B, page, ck = base.link.effective_bps, base.page_bytes, base.checkpoint_bytes
    assert (last.pages_dirtied * page + ck) / B <= goal_s
    assert all((r.pages_dirtied * page + ck) / B > goal_s for r in res.rounds[:-1])
    tight = simulate_precopy(base.replace(policy=Policy(goal_ms=50)), backend=backend)
    assert tight.n_rounds > res.n_rounds and tight.downtime_ms < res.downtime_ms


def test_checkpoint_alone_over_the_goal_still_ends(backend):
    cfg = PrecopyConfig(memory_gib=0.01, workload=Workload("uniform", 0), checkpoint_mib=2048,
                        link=Link(bandwidth_gbps=1))
    res = simulate_precopy(cfg, backend=backend)
    assert res.outcome == "switched-over" and not res.converged
    assert "checkpoint" in res.stop_reason and res.n_rounds == 1


def test_xen_iteration_cap(backend):
    res = simulate_precopy(fluid_config(0.95, Policy(name="xen", max_iters=6, max_factor=100)),
                           backend=backend)
    assert res.n_rounds == 6 and "6 iterations" in res.stop_reason and not res.converged


def test_qemu_uses_measured_bandwidth(backend):
    # with 50 ms RTT per round the measured bandwidth is lower than the line rate, so the
    # threshold is smaller and pre-copy needs more rounds than on the same link without RTT
    base = fluid_config(0.5, Policy(name="qemu"))
    slow = base.replace(link=Link(bandwidth_gbps=1, efficiency=1.0, rtt_ms=500))
    assert simulate_precopy(slow, backend=backend).n_rounds > \
        simulate_precopy(base, backend=backend).n_rounds


@pytest.mark.parametrize("name", ["vmotion", "qemu", "xen"])
def test_policy_name_is_reported(backend, name, small_config):
    res = simulate_precopy(small_config.replace(policy=Policy(name=name)), backend=backend)
    assert res.policy == name and res.backend == backend
