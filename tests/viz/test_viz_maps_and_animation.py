"""Convergence map, policy comparison and the JS-HTML animation."""

import numpy as np
import pytest

from vmotion_core.precopy import Link, PrecopyConfig, Workload, analytic_precopy, simulate_precopy
from vmotion_core.viz import (alt_text, convergence_grid, figure_to_png, plot_convergence_map,
                              plot_policy_comparison, precopy_animation)
from vmotion_core.viz.animation import animation_frames

pytestmark = pytest.mark.filterwarnings("error")

CFG = PrecopyConfig(memory_gib=2, workload=Workload("uniform", 300))


def test_analytic_grid_matches_the_analytic_model_cell_by_cell():
    g = convergence_grid(CFG, "vmotion", "analytic", n=6)
    for (i, j), code in np.ndenumerate(g["outcome"]):
        cfg = CFG.replace(workload=Workload("uniform", float(g["rates_mibps"][j])),
                          link=Link(bandwidth_gbps=float(g["bandwidths_gbps"][i])))
        assert (code == 0) == analytic_precopy(cfg).converged
    # slow guest on a fast link converges; the reverse does not
    assert g["outcome"][-1, 0] == 0 and g["outcome"][0, -1] == 4


def test_simulated_grid_uses_the_engine_and_marks_throttling():
    g = convergence_grid(CFG, "vmotion", "simulate", rates_mibps=[100, 400],
                         bandwidths_gbps=[1, 10])
    for (i, j), code in np.ndenumerate(g["outcome"]):
        res = simulate_precopy(CFG.replace(
            workload=Workload("uniform", float(g["rates_mibps"][j])),
            link=Link(bandwidth_gbps=float(g["bandwidths_gbps"][i]))))
        assert g["rounds"][i, j] == res.n_rounds
        assert (code == 1) == (res.ok and res.converged and res.max_throttle > 0)


@pytest.mark.parametrize("color_by", ["outcome", "rounds", "downtime"])
def test_map_panels_labels_and_learner_point(color_by):
    fig = plot_convergence_map(CFG, policies=("vmotion", "xen"), color_by=color_by, n=5)
    panels = [ax for ax in fig.axes if ax.get_xlabel()]
    assert [ax.get_title() for ax in panels] == ["vmotion policy", "xen policy"]
    assert panels[0].get_ylabel() == "vMotion link (Gbit/s, log)"
    star = [ln for ln in panels[0].lines if ln.get_marker() == "*"][0]
    assert star.get_xdata()[0] == 300 and star.get_ydata()[0] == 10
    assert "geometric model" in fig._suptitle.get_text()
    assert "at your point (300 MiB/s, 10 Gbit/s)" in alt_text(fig)
    figure_to_png(fig)


def test_map_says_when_it_simulated():
    fig = plot_convergence_map(CFG, method="simulate", rates_mibps=[100, 400],
                               bandwidths_gbps=[1, 10])
    assert "page-level simulation" in fig._suptitle.get_text()
    with pytest.raises(ValueError, match="color_by"):
        plot_convergence_map(CFG, color_by="colour")
    with pytest.raises(ValueError, match="method"):
        convergence_grid(CFG, method="guess")


def test_policy_comparison_runs_all_three_on_the_same_vm():
    fig = plot_policy_comparison(CFG)
    res = fig.policy_results
    assert set(res) == {"vmotion", "qemu", "xen"}
    assert all(r.config.memory_gib == 2 and r.config.workload == CFG.workload
               for r in res.values())
    bar_axes = fig.axes[1:]
    heights = [p.get_height() for p in bar_axes[0].patches]
    assert heights == pytest.approx([res[n].total_time_s for n in ("vmotion", "qemu", "xen")])
    assert "xen:" in alt_text(fig) and "stun" in alt_text(fig)
    figure_to_png(fig)


def test_animation_is_offline_html_with_one_frame_per_round():
    res = simulate_precopy(PrecopyConfig(memory_gib=1, workload=Workload("uniform", 110),
                                         link=Link(bandwidth_gbps=1)))
    frames = animation_frames(res)
    assert len(frames) == res.n_rounds + 1 and frames[-1][1].startswith("Switch-over")
    html = precopy_animation(res)
    assert html.count("data:image/png;base64") == len(frames)
    assert "https://" not in html and 'class="fa' not in html
    assert 'aria-label="Play"' in html and "Round 0 copies all memory" in html
    assert '<img alt="Animation, one frame per round.' in html


def test_animation_samples_long_runs():
    res = simulate_precopy(PrecopyConfig(memory_gib=1, workload=Workload("uniform", 110),
                                         link=Link(bandwidth_gbps=1)))
    frames = animation_frames(res, max_frames=5)
    assert len(frames) <= 5 and frames[-1][0] == res.n_rounds + 1
