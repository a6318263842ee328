"""Rounds chart, timeline and heatmap on real simulation results."""

import numpy as np
import pytest

from vmotion_core.viz import alt_text, figure_to_png, plot_heatmap, plot_rounds, plot_timeline
from vmotion_core.viz.rounds import threshold_bytes

pytestmark = pytest.mark.filterwarnings("error")


def _texts(fig):
    out = []
    for ax in fig.axes:
        out += [ax.get_title(), ax.get_title("left"), ax.get_xlabel(), ax.get_ylabel()]
        out += [t.get_text() for t in ax.texts]
        leg = ax.get_legend()
        if leg:
            out += [t.get_text() for t in leg.get_texts()]
    return " | ".join(out)


def test_rounds_bars_match_the_records(converging):
    fig = plot_rounds(converging)
    ax = fig.axes[0]
    n = converging.n_rounds
    assert len(ax.patches) == 2 * n + 1  # sent + dirtied per round, + the stun bar
    heights = sorted(p.get_height() for p in ax.patches[:n])
    expected = sorted(r.bytes_sent / 2**30 for r in converging.rounds)
    assert np.allclose(heights, expected)
    text = _texts(fig)
    assert "(GiB, log scale)" in text and "switch-over after round" in text
    assert "switchover goal 500 ms" in text


@pytest.mark.parametrize("name", ["converging", "throttled"])
def test_rounds_threshold_agrees_with_the_engine(name, request):
    res = request.getfixturevalue(name)
    thr, _label = threshold_bytes(res)
    dirty = [r.pages_dirtied * res.config.page_bytes for r in res.rounds]
    assert dirty[-1] <= thr  # vmotion stopped because the dirty set fits the goal
    assert all(d > thr for d in dirty[:-1])  # ... and not earlier


def test_rounds_shows_sdps_on_a_twin_axis(throttled):
    fig = plot_rounds(throttled)
    assert len(fig.axes) == 2
    assert "SDPS throttle (% of vCPU time)" == fig.axes[1].get_ylabel()
    ys = fig.axes[1].lines[0].get_ydata()
    assert max(ys) == pytest.approx(throttled.max_throttle * 100)
    assert "throttle" in alt_text(fig)


def test_rounds_of_a_failed_migration(failed):
    fig = plot_rounds(failed)
    text = _texts(fig)
    assert "FAILED" in text and "failed after round" in text
    assert "failed after" in alt_text(fig)
    assert len(fig.axes[0].patches) == 2 * failed.n_rounds  # no stun bar: the VM never stopped


def test_rounds_xen_threshold_is_min_pages(xen):
    thr, label = threshold_bytes(xen)
    assert thr == 50 * 4096 and "50 pages" in label
    assert "xen policy" in plot_rounds(xen).axes[0].get_title("left")


def test_timeline_from_precopy_has_rounds_stun_and_zoom(throttled):
    fig = plot_timeline(throttled)
    main = fig.axes[0]
    labels = [t.get_text() for t in main.get_yticklabels()]
    assert labels == ["pre-copy", "switchover (stun)", "resume on destination"]
    assert len(main.patches) >= throttled.n_rounds + 2
    assert main.get_xlabel() == "time since the migration started (s)"
    assert f"stun {throttled.downtime_ms:.0f} ms" in _texts(fig)
    assert len(fig.axes) == 2 and "close-up" in fig.axes[1].get_title("left")
    assert main.get_xlim()[1] >= throttled.total_time_s
    assert f"stunned for {throttled.downtime_ms:.0f} ms" in alt_text(fig)


def test_timeline_of_failed_run_has_no_stun(failed):
    fig = plot_timeline(failed)
    assert [t.get_text() for t in fig.axes[0].get_yticklabels()] == ["pre-copy"]
    assert "failed" in fig.axes[0].get_title("left") and "stun" not in _texts(fig).lower()


def test_heatmap_shows_the_hot_set(hotset):
    fig = plot_heatmap(hotset)
    img = fig.axes[0].images[0].get_array()
    last = hotset.n_rounds - 1
    cells = np.asarray(hotset.heatmap)
    hot_share = np.mean(cells == last)
    assert hot_share >= 0.05  # the hot 10 % is still being written in the last round
    assert int(np.ma.max(img)) == last
    assert "last round that dirtied it" in fig.axes[1].get_ylabel()
    assert "GiB" in fig.axes[0].get_ylabel()
    assert "still being dirtied in the last round" in alt_text(fig)


def test_heatmap_needs_a_heatmap(throttled):
    with pytest.raises(ValueError, match=r"result\.heatmap: .*heatmap=True"):
        plot_heatmap(throttled)


@pytest.mark.parametrize("make", [plot_rounds, plot_timeline])
def test_png_renders_without_warnings(make, converging):
    png = figure_to_png(make(converging))
    assert png.startswith(b"\x89PNG") and len(png) > 5000
