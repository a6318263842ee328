"""Rounds counted per region (_regions.py) against the page-level bitmap: same model in
distribution; and the documented 24 TiB maximum answers without a page-level bitmap."""

import itertools
import math

import numpy as np
import pytest

from vmotion_core.precopy import Link, PrecopyConfig, PrecopyRun, Workload, _dirty, simulate_precopy
from vmotion_core.precopy._regions import count_round, occupancy, occupancy_moments

SEEDS = range(60)


@pytest.mark.parametrize("m, c", [(1, 5), (3, 4), (5, 3), (6, 2)])
def test_occupancy_moments_match_enumeration(m, c):
    counts = [len(set(seq)) for seq in itertools.product(range(c), repeat=m)]
    mean, var = occupancy_moments(m, c)
    assert mean == pytest.approx(np.mean(counts), abs=1e-9)
    assert var == pytest.approx(np.var(counts), abs=1e-9)


@pytest.mark.parametrize("m, c", [
    (300, 1000),          # exact (Geometric waits)
    (5000, 4000),         # normal
    (40, 10**9),          # nearly no repeats (Poisson)
    (30_000, 2000),       # nearly every page hit (Poisson)
    (8000, 6000),         # normal, moderate
])
def test_occupancy_draws_match_brute_force(m, c):
    rng = np.random.default_rng(7)
    drawn = np.array([occupancy(rng, m, c) for _ in range(400)])
    brute = np.array([np.unique(rng.integers(0, c, m)).size for _ in range(400)])
    mean, var = occupancy_moments(m, c)
    se = math.sqrt(var / 400) + 0.05
    assert abs(drawn.mean() - mean) < 5 * se
    assert abs(brute.mean() - mean) < 5 * se  # the formula itself
    assert drawn.min() >= 1 and drawn.max() <= min(m, c)
    if var > 1:
        assert 0.6 < drawn.std() / brute.std() < 1.6


def test_count_round_splits_writes_and_covers_sweeps():
    rng = np.random.default_rng(1)
    total, segments = count_round(rng, 1000, [(0, 100, 10**6), (100, 1000, 0)], [(950, 1000)])
    assert total == 150  # the saturated hot pages plus the swept range
    assert [(lo, hi) for lo, hi, _, _ in segments] == [(0, 100), (950, 1000)]


def _round_counts(cfg, monkeypatch, regions, rounds=2):
    if regions:
        monkeypatch.setattr(_dirty, "PAGE_LEVEL_MAX_PAGES", 0)
    else:
        monkeypatch.setattr(_dirty, "PAGE_LEVEL_MAX_PAGES", 2**30)
    out = []
    for seed in SEEDS:
        m = PrecopyRun(cfg, seed=seed)
        recs = [m.step() for _ in range(rounds) if not m.done]
        assert {r.detail for r in recs} == {"regions" if regions else "pages"}
        out.append([r.pages_dirtied for r in recs][:rounds])
    return np.array([row for row in out if len(row) == rounds], dtype=float)


@pytest.mark.parametrize("workload, heatmap", [
    (Workload("uniform", 300), False),
    (Workload("hotset", 400, hot_fraction=0.1, hot_share=0.9), True),
    (Workload("phased", phases=((3.0, Workload("sweep", 200)), (1.0, Workload("uniform", 300)))),
     True),
])
def test_region_rounds_match_page_rounds_in_distribution(workload, heatmap, monkeypatch):
    """Pages dirtied per round, 60 seeds each way: same mean (within 5 standard errors) and a
    similar spread."""
    cfg = PrecopyConfig(memory_gib=0.5, workload=workload, link=Link(bandwidth_gbps=1),
                        heatmap=heatmap)
    pages = _round_counts(cfg, monkeypatch, regions=False)
    regions = _round_counts(cfg, monkeypatch, regions=True)
    for k in range(pages.shape[1]):
        a, b = pages[:, k], regions[:, k]
        se = math.hypot(a.std(), b.std()) / math.sqrt(len(SEEDS)) + 1.0
        assert abs(a.mean() - b.mean()) < 5 * se, (k, a.mean(), b.mean())
        if a.std() > 5:
            assert 0.5 < b.std() / a.std() < 2.0, (k, a.std(), b.std())


def test_region_heatmap_marks_only_written_cells(monkeypatch):
    """hot set with every write in it: cold cells stay clean, hot cells carry recent rounds."""
    monkeypatch.setattr(_dirty, "PAGE_LEVEL_MAX_PAGES", 0)
    cfg = PrecopyConfig(memory_gib=1, heatmap=True, link=Link(bandwidth_gbps=1),
                        workload=Workload("hotset", 200, hot_fraction=0.25, hot_share=1.0))
    res = simulate_precopy(cfg, seed=4)
    heat, cell = res.heatmap, res.heatmap_cell_pages
    hot_cells = cfg.n_pages // 4 // cell
    assert (heat[hot_cells + 1:] == -1).all()
    assert (heat[:hot_cells] >= 0).all() and heat.max() == res.n_rounds - 1


def test_24_tib_answers_without_a_page_bitmap(backend):
    """The documented maximum (vmotion-facts.md §4.3) with 4 KiB pages and a busy guest."""
    cfg = PrecopyConfig(memory_gib=24 * 1024, workload=Workload("hotset", 1024),
                        link=Link(bandwidth_gbps=100), heatmap=True, seed=2)
    m = PrecopyRun(cfg, backend=backend)
    res = m.run()
    assert not m.bitmap_allocated  # 768 MiB never allocated
    assert {r.detail for r in res.rounds} == {"regions"}
    for r in res.rounds:
        assert 0 <= r.pages_dirtied <= min(r.page_writes, cfg.n_pages)
    assert -1 <= res.heatmap.min() and res.heatmap.max() == res.n_rounds - 1
    assert len(res.heatmap) <= _dirty.HEATMAP_CELLS
    assert f"{res.n_rounds} of {res.n_rounds} rounds counted per memory region" in str(res)


def test_page_budget_hands_over_to_regions_once(monkeypatch):
    monkeypatch.setattr(_dirty, "PAGE_LEVEL_BUDGET_NS", 1e6)
    cfg = PrecopyConfig(memory_gib=1, workload=Workload("uniform", 2000), heatmap=True,
                        link=Link(bandwidth_gbps=10), seed=1)
    details = [r.detail for r in simulate_precopy(cfg).rounds]
    assert details[0] == "pages" and "regions" in details
    assert details == sorted(details)  # pages first, then regions, never back
