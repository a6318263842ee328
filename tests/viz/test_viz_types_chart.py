import pytest

from vmotion_core.viz import MIGRATION_TYPES, alt_text, figure_to_png, plot_migration_types

pytestmark = pytest.mark.filterwarnings("error")


def test_every_type_is_a_row_with_its_classify_label():
    fig = plot_migration_types()
    texts = {t.get_text() for t in fig.axes[0].texts}
    for label, (name, *_rest) in MIGRATION_TYPES.items():
        assert label in texts and name in texts
    assert {"Host", "Datastore", "vCenter", "Site", "VM power"} <= texts


def test_highlight_frames_one_row_and_is_in_alt_text():
    plain = plot_migration_types()
    framed = plot_migration_types(highlight="long-distance")
    assert len(framed.axes[0].patches) == len(plain.axes[0].patches) + 1
    assert "'long-distance' is framed" in alt_text(framed)


def test_unknown_highlight_names_the_allowed_labels():
    with pytest.raises(ValueError, match="highlight: 'vmotion' is not one of compute-only"):
        plot_migration_types(highlight="vmotion")


def test_renders_png_with_alt_text_in_metadata():
    png = figure_to_png(plot_migration_types())
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and b"Description" in png
    assert "RTT" in alt_text(plot_migration_types())
