"""Configuration: validation messages name the field and the allowed range; derived values."""

import math

import pytest

from vmotion_core.errors import ConfigError
from vmotion_core.precopy import Link, Policy, PrecopyConfig, Workload


@pytest.mark.parametrize("make, field, words", [
    (lambda: PrecopyConfig(memory_gib=0), "memory_gib", "1 MiB and 24 TiB"),
    (lambda: PrecopyConfig(memory_gib=24 * 1024 + 1), "memory_gib", "24 TiB"),
    (lambda: PrecopyConfig(memory_gib=float("nan")), "memory_gib", "must be a number"),
    (lambda: PrecopyConfig(page_size_kib=8), "page_size_kib", "4 (4 KiB) or 2048 (2 MiB)"),
    (lambda: PrecopyConfig(memory_gib=1 / 1024, page_size_kib=2048), "memory_gib", "one 2048 KiB page"),
    (lambda: PrecopyConfig(checkpoint_mib=-1), "checkpoint_mib", "between 0 and 65536"),
    (lambda: PrecopyConfig(resume_ms=-5), "resume_ms", "between 0 and 600000"),
    (lambda: PrecopyConfig(seed=-1), "seed", "whole number"),
    (lambda: PrecopyConfig(seed=1.5), "seed", "whole number"),
    (lambda: PrecopyConfig(exact_writes="yes"), "exact_writes", "True or False"),
    (lambda: PrecopyConfig(workload="uniform"), "workload", "must be a Workload"),
    (lambda: Workload(kind="random"), "workload.kind", "uniform, hotset, sweep, phased"),
    (lambda: Workload(dirty_rate_mibps=-1), "workload.dirty_rate_mibps", "between 0 and"),
    (lambda: Workload(hot_fraction=0), "workload.hot_fraction", "above 0"),
    (lambda: Workload(hot_share=1.5), "workload.hot_share", "between 0 and 1"),
    (lambda: Workload(kind="phased"), "workload.phases", "at least one"),
    (lambda: Workload(kind="phased", phases=((0, Workload()),)), "workload.phases[0].duration_s", "above 0"),
    (lambda: Workload(kind="phased", phases=((5, "x"),)), "workload.phases[0].workload", "Workload"),
    (lambda: Workload(kind="uniform", phases=((5, Workload()),)), "workload.phases", "only a phased"),
    (lambda: Link(bandwidth_gbps=0), "link.bandwidth_gbps", "between 0.01 and 800 Gbit/s"),
    (lambda: Link(streams=0), "link.streams", "between 1 and 16"),
    (lambda: Link(efficiency=1.2), "link.efficiency", "between 0.1 and 1"),
    (lambda: Link(rtt_ms=-1), "link.rtt_ms", "between 0 and 1000 ms"),
    (lambda: Link(concurrent=0), "link.concurrent", "between 1 and 128"),
    (lambda: Policy(name="hyperv"), "policy.name", "vmotion, qemu, xen"),
    (lambda: Policy(goal_ms=0), "policy.goal_ms", "above 0"),
    (lambda: Policy(max_rounds=0), "policy.max_rounds", "between 1 and"),
    (lambda: Policy(sdps=1), "policy.sdps", "True or False"),
])
def test_bad_values_name_the_field_and_the_allowed_range(make, field, words):
    with pytest.raises(ConfigError) as err:
        make()
    assert err.value.field == field
    assert str(err.value).startswith(f"{field}: ")
    assert words in str(err.value)


def test_pages_and_bitmap_size():
    cfg = PrecopyConfig(memory_gib=16)
    assert cfg.n_pages == 16 * 2**30 // 4096
    assert cfg.memory_bytes == 16 * 2**30
    big = PrecopyConfig(memory_gib=1, page_size_kib=2048)
    assert big.n_pages == 512
    odd = PrecopyConfig(memory_gib=0.3)  # rounded up to whole pages
    assert odd.n_pages == math.ceil(0.3 * 2**30 / 4096)


def test_effective_bandwidth_rules():
    assert Link(bandwidth_gbps=10).effective_bps == pytest.approx(10e9 * 0.94 / 8)
    # one stream saturates at ~15 Gbit/s (KB 323379 / stream helper), automatic streams do not
    assert Link(bandwidth_gbps=40, streams=1).effective_bps == pytest.approx(15e9 / 8)
    assert Link(bandwidth_gbps=40, streams=2).effective_bps == pytest.approx(30e9 / 8)
    assert Link(bandwidth_gbps=40).effective_bps == pytest.approx(40e9 * 0.94 / 8)
    enc = Link(bandwidth_gbps=10, encrypted=True, encryption_cost=0.2)
    assert enc.effective_bps == pytest.approx(10e9 * 0.94 * 0.8 / 8)
    shared = Link(bandwidth_gbps=10, concurrent=4)
    assert shared.effective_bps == pytest.approx(Link(bandwidth_gbps=10).effective_bps / 4)


def test_phase_list_and_dicts():
    wl = Workload("phased", phases=((10, Workload("uniform", 100)), (5, Workload("sweep", 50))))
    phases = wl.phase_list()
    assert [(a, b) for a, b, _ in phases] == [(0.0, 10.0), (10.0, math.inf)]
    d = PrecopyConfig(workload=wl).to_dict()
    assert d["workload"]["phases"][1][1]["kind"] == "sweep"
    assert d["link"]["effective_bps"] == pytest.approx(Link().effective_bps)


def test_defaults_follow_the_sources():
    p = Policy()
    assert (p.name, p.goal_ms, p.sdps, p.max_switchover_s) == ("vmotion", 500.0, True, 100.0)
    assert Policy(name="qemu").downtime_limit_ms == 300.0
    assert (p.max_iters, p.min_pages, p.max_factor) == (29, 50, 3.0)
    assert Link().stream_ceiling_gbps == 15.0
