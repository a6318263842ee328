"""Pre-copy explorer driven headless: set control values, the model re-runs, outputs change."""

import pytest

from vmotion_core.precopy import simulate_precopy
from vmotion_core.widgets.explorer import PrecopyExplorer

pytestmark = pytest.mark.filterwarnings("error")


@pytest.fixture
def ex():
    return PrecopyExplorer(memory_gib=2)


def test_starts_with_a_result_figure_and_summary(ex):
    assert ex.update_count == 1 and ex.result.outcome == "switched-over"
    assert bytes(ex.view.image.value).startswith(b"\x89PNG")
    assert "pre-copy rounds" in ex.summary.value and "stun time" in ex.summary.value
    assert "Bar chart of pre-copy rounds" in ex.view.alt


def test_slider_change_reruns_the_engine_and_redraws(ex):
    before_png, before = ex.view.image.value, ex.result
    ex.controls["dirty_rate_mibps"].value = 1500
    assert ex.update_count == 2 and ex.view.renders == 2
    assert ex.config.workload.dirty_rate_mibps == 1500
    assert ex.result == simulate_precopy(ex.config)  # the same model, not a copy of it
    assert ex.result.n_rounds != before.n_rounds
    assert ex.view.image.value != before_png
    assert f"<td>{ex.result.n_rounds}</td>" in ex.summary.value


def test_every_control_feeds_the_config(ex):
    c = ex.controls
    c["memory_gib"].value = 4
    c["bandwidth_gbps"].value = 25
    assert ex.config.link.streams is None  # "automatic"
    c["streams"].value = 1
    c["goal_ms"].value = 300
    c["sdps"].value = False
    c["workload"].value = "hotset"
    c["hot_percent"].value = 20
    cfg = ex.config
    assert cfg.memory_gib == 4 and cfg.link.bandwidth_gbps == 25 and cfg.link.streams == 1
    assert cfg.policy.goal_ms == 300 and cfg.policy.sdps is False
    assert cfg.workload.kind == "hotset" and cfg.workload.hot_fraction == pytest.approx(0.2)
    assert ex.update_count == 8


def test_controls_that_do_not_apply_are_disabled(ex):
    assert ex.controls["hot_percent"].disabled
    ex.controls["workload"].value = "hotset"
    assert not ex.controls["hot_percent"].disabled
    ex.controls["policy"].value = "xen"
    assert ex.controls["sdps"].disabled and ex.controls["goal_ms"].disabled
    assert ex.result.policy == "xen"


def test_sdps_shows_up_in_legend_and_summary(ex):
    ex.controls["bandwidth_gbps"].value = 1
    ex.controls["dirty_rate_mibps"].value = 150
    assert ex.result.max_throttle > 0
    assert "guest slowed by throttling" in ex.legend.value
    assert "max throttle" in ex.summary.value


def test_a_failed_migration_is_reported(ex):
    ex.controls["memory_gib"].value = 16
    ex.controls["bandwidth_gbps"].value = 1
    ex.controls["workload"].value = "sweep"
    ex.controls["sdps"].value = False
    ex.controls["dirty_rate_mibps"].value = 2000
    assert ex.result.outcome == "failed"
    assert "FAILED" in ex.summary.value and "FAILED" in ex.heading.value


def test_update_time_is_recorded(ex):
    ex.controls["dirty_rate_mibps"].value = 600
    assert 0 < ex.last_update_ms < 10_000
    assert "updated in" in ex.status.value
