"""The SimGrid-compatible configuration behind V4, V9 and V10 (precopy-models.md §8)."""

import pytest

from vmotion_core.precopy import PrecopyRun, simgrid_like, simulate_precopy
from vmotion_core.units import MiB
from vmotion_core.validation import simgrid_config

SPEED = 128 * MiB


@pytest.mark.parametrize("intensity", [0.3, 0.95, 1.0])
def test_per_round_dirty_cap_is_0_9_ram(intensity):
    """SimGrid caps each round's dirtied bytes at 0.9 x RAM; only stage 1 can reach it."""
    cfg = simgrid_config(256 * MiB, SPEED, intensity, max_time_s=30)
    m = PrecopyRun(cfg)
    recs = [m.step() for _ in range(4)]
    cap = 0.9 * cfg.n_pages
    assert recs[0].pages_dirtied == pytest.approx(min(intensity, 0.9) * cfg.n_pages, abs=1)
    assert all(r.pages_dirtied <= cap + 1 for r in recs)
    if intensity >= 1:
        assert all(r.pages_dirtied == pytest.approx(cap, abs=1) for r in recs)
    else:  # later rounds: intensity x speed x T, below the cap
        assert recs[1].pages_dirtied == pytest.approx(intensity * recs[0].pages_dirtied, abs=1)


def test_threshold_is_round_bandwidth_times_30_ms():
    """Stop when remaining <= measured bandwidth x 30 ms: 983 pages at 128 MiB/s."""
    res = simulate_precopy(simgrid_config(1024 * MiB, SPEED, 0.5))
    last = res.rounds[-1]
    assert res.final_pages * 4096 < SPEED * 0.030
    assert last.pages_sent * 4096 >= SPEED * 0.030  # the round before had not reached it
    assert res.policy == "qemu" and res.config.policy.downtime_limit_ms == 30


@pytest.mark.parametrize("intensity", [0.1, 0.7, 0.95])
def test_matches_the_fluid_simgrid_calculator(intensity):
    ram = 512 * MiB
    res = simulate_precopy(simgrid_config(ram, SPEED, intensity))
    ref = simgrid_like(ram, SPEED, intensity)
    assert res.n_rounds - 1 == ref.rounds
    page_s = 4096 / SPEED
    assert res.total_time_s == pytest.approx(ref.total_time_s, abs=(ref.rounds + 2) * page_s)
    assert res.downtime_ms == pytest.approx(ref.downtime_s * 1e3, abs=page_s * 1e3)


def test_full_intensity_never_converges():
    res = simulate_precopy(simgrid_config(256 * MiB, SPEED, 1.0, max_time_s=60))
    assert not res.converged and res.outcome == "failed"
