"""Topology with findings, and the timeline of real migrate() results."""

import pytest
from matplotlib.colors import to_hex

from vmotion_core.compat import check_migration
from vmotion_core.inventory import load_scenario
from vmotion_core.migration import MigrationRequest, migrate
from vmotion_core.viz import ROLE, alt_text, figure_to_png, plot_timeline, plot_topology
from vmotion_core.viz.topology import topology_items

pytestmark = pytest.mark.filterwarnings("error")


def _texts(fig):
    return [t.get_text() for t in fig.axes[0].texts]


def test_topology_shows_every_host_vmknic_vm_and_mount():
    env = load_scenario("healthy-cluster")
    fig = plot_topology(env)
    texts = _texts(fig)
    for h in env.hosts:
        assert h.name in texts
        for vmk in h.vmknics:
            assert any(t.startswith(f"{vmk.name}  {vmk.ip}/{vmk.prefix}") for t in texts)
    assert sum(t.startswith("VM ") for t in texts) == len(env.vms)
    mounts = sum(len(d.hosts) for d in env.datastores)
    assert texts.count("●") + texts.count("◐") == mounts
    assert "No findings are highlighted." in alt_text(fig)
    figure_to_png(fig)


def test_findings_are_drawn_on_the_objects_they_name():
    env = load_scenario("broken-vmotion-network")
    findings = check_migration(env, MigrationRequest(vm="app41", target="esx-46"))
    assert [f.object for f in findings] == ["vc01/dc1/cl-net/esx-46/vmk1"]
    fig = plot_topology(env, findings)
    ax = fig.axes[0]
    red = [p for p in ax.patches if to_hex(p.get_edgecolor()) == ROLE["error"].lower()]
    assert len(red) == 1
    # the red box is the one holding esx-46's vmk1 text
    box = red[0].get_bbox()
    inside = [t.get_text() for t in ax.texts
              if box.x0 <= t.get_position()[0] <= box.x1 and box.y0 <= t.get_position()[1] <= box.y1]
    assert any(t.startswith("vmk1  10.0.50.46") for t in inside)
    assert "⚠ 1" in _texts(fig)
    assert any(t.startswith("[1] ERROR VMotionLinkDown") for t in _texts(fig))
    assert "VMotionLinkDown on vc01/dc1/cl-net/esx-46/vmk1" in alt_text(fig)


def test_distributed_switch_and_stack_are_listed():
    cols = topology_items(load_scenario("routed-vmotion-stack"))
    lines = [line for col in cols for _k, _p, text in col for line in text]
    assert any("(distributed) · MTU 9000" in line for line in lines)
    assert any("vmotion stack" in line for line in lines)


def test_timeline_of_a_real_migration_has_every_phase():
    env = load_scenario("healthy-cluster")
    res = migrate(env, MigrationRequest(vm="web01", target="esx-02"), seed=0)
    fig = plot_timeline(res)
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert labels == [p.name for p in res.phases]
    assert "compute-only migration of VM web01" in fig.axes[0].get_title("left")
    assert f"stun {res.stun_ms:.0f} ms" in " ".join(t.get_text() for t in fig.axes[0].texts)
    # pre-copy rounds are drawn inside the pre-copy phase
    pre = next(p for p in res.phases if p.name == "pre-copy")
    lefts = [p.get_x() for p in fig.axes[0].patches]
    assert min(abs(x - pre.start_s) for x in lefts) < 1e-9
    assert f"The VM was stunned for {res.stun_ms:.0f} ms" in alt_text(fig)


def test_timeline_of_a_blocked_migration():
    env = load_scenario("broken-vmotion-network")
    res = migrate(env, MigrationRequest(vm="app41", target="esx-42"), seed=0)
    assert res.status == "blocked"
    fig = plot_timeline(res)
    assert "blocked by vCenter's pre-check" in fig.axes[0].get_title("left")
    assert "The migration was blocked by vCenter's pre-check." in alt_text(fig)
    assert not any(t.get_text().startswith("failed at") for t in fig.axes[0].texts)


def _red_hatched(ax):
    return [p for p in ax.patches if to_hex(p.get_edgecolor()) == ROLE["error"].lower()
            and p.get_hatch()]


def test_timeline_of_a_late_failure_marks_the_stalled_phase():
    env = load_scenario("broken-vmotion-network")
    res = migrate(env, MigrationRequest(vm="app41", target="esx-43"), seed=0)
    assert res.started and not res.ok and res.failed_at.percent == 10
    fig = plot_timeline(res)
    ax = fig.axes[0]
    pre = next(p for p in res.phases if p.name == "pre-copy")
    (bar,) = _red_hatched(ax)  # exactly the stalled phase, hatched red
    assert bar.get_x() == pytest.approx(pre.start_s) and bar.get_width() == pytest.approx(
        pre.duration_s)
    assert "failed at 10 % (vMotion data transfer)" in _texts(fig)
    title = ax.get_title("left")
    assert "passed the pre-check" in title and "failed at 10 %" in title and "esx-41" in title
    alt = alt_text(fig)
    assert "failed at 10 % (vMotion data transfer)" in alt and "Failed waiting for data" in alt
    assert "stays on esx-41" in alt
    figure_to_png(fig)


def test_timeline_of_a_switchover_failure_frames_the_rounds():
    env = (load_scenario("healthy-cluster")
           .set_uplink("esx-01", "vmnic2", speed_mbps=1000)
           .set_uplink("esx-01", "vmnic3", speed_mbps=1000)
           .power_off("db01").set_vm("db01", max_switchover_s=1).power_on("db01"))
    res = migrate(env, MigrationRequest(vm="db01", target="esx-02"), seed=0)
    assert res.failed_at.rule_id == "LM4" and res.failed_at.percent is None
    fig = plot_timeline(res)
    ax = fig.axes[0]
    assert _red_hatched(ax) == []  # rounds stay visible: a red frame, not a hatched fill
    frame = [p for p in ax.patches if to_hex(p.get_edgecolor()) == ROLE["error"].lower()]
    assert len(frame) == 1 and frame[0].get_facecolor()[3] == 0  # see-through frame
    assert "failed (switchover)" in _texts(fig)


def test_six_hosts_wrap_into_rows_at_notebook_width():
    from vmotion_core.viz.topology import HOSTS_PER_ROW

    env = load_scenario("broken-vmotion-network")
    assert len(env.hosts) == 6 and HOSTS_PER_ROW == 3
    fig = plot_topology(env)
    assert fig.get_size_inches()[0] <= 9.0  # readable at a notebook's output width
    pos = {t.get_text(): t.get_position() for t in fig.axes[0].texts if t.get_fontsize() == 8.5}
    (x41, y41), (x44, y44), (x43, y43) = pos["esx-41"], pos["esx-44"], pos["esx-43"]
    assert x44 == pytest.approx(x41) and y44 > y41  # 4th host starts a second row (y grows down)
    assert y43 == pytest.approx(y41) and x43 > x41
    # the mount grid still has one column per host, all inside the figure
    marks = [t for t in fig.axes[0].texts if t.get_text() == "●"]
    assert len(marks) == 6 and max(t.get_position()[0] for t in marks) < fig.get_size_inches()[0]


def test_path_findings_are_badged_on_the_broken_end_not_the_healthy_source():
    """issue 18: no route / MTU findings name the source's vmk as their object; with one healthy
    source and five broken destinations the badges belong on the destinations."""
    from vmotion_core.viz.topology import _where

    env = load_scenario("broken-vmotion-network")
    paths = [p for col in topology_items(env) for _k, p, _t in col]
    found = [f for dst in ("esx-42", "esx-43", "esx-44", "esx-45", "esx-46")
             for f in check_migration(env, MigrationRequest("app41", target=dst))]
    assert {f.rule_id for f in found} >= {"N1", "N5a", "N5b"}
    placed = [_where(env, paths, f) for f in found]
    assert all(p is not None and "/esx-41" not in p for p in placed), placed
    fig = plot_topology(env, found)
    lines = [t.get_text() for t in fig.axes[0].texts if t.get_text().startswith("[")]
    assert any("esx-41/vmk1 -> esx-43/vmk1" in line for line in lines), lines
    # a finding on one host keeps its own object
    one = check_migration(env, MigrationRequest("app41", target="esx-42"))
    assert _where(env, paths, one[0]) == env.path("host", "esx-42")
