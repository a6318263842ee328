"""Every symbol the figures, widgets and lab feedback print exists in DejaVu Sans.

Debian's Chromium without an emoji font draws an empty box for characters such as U+26D4 (no
entry) or an emoji variation selector; matplotlib warns "Glyph ... missing". DejaVu Sans ships
with matplotlib and with Debian, so it is the coverage we can rely on.
"""

import re
from pathlib import Path

import matplotlib
import pytest
from fontTools.ttLib import TTFont

ROOT = Path(__file__).resolve().parents[2]
FILES = sorted([*ROOT.glob("vmotion_core/viz/**/*.py"), *ROOT.glob("vmotion_core/widgets/**/*.py"),
                ROOT / "labs" / "grading" / "render.py"])
_ESCAPE = re.compile(r"&#(x[0-9a-fA-F]+|[0-9]+);|\\u([0-9a-fA-F]{4})|\\U([0-9a-fA-F]{8})")


def _cmap():
    return TTFont(Path(matplotlib.get_data_path()) / "fonts/ttf/DejaVuSans.ttf").getBestCmap()


def _code_points(text):
    out = {ord(ch) for ch in text if ord(ch) > 127}
    for m in _ESCAPE.finditer(text):
        ent, u4, u8 = m.groups()
        out.add(int(ent[1:], 16) if ent and ent[0] == "x" else int(ent) if ent
                else int(u4 or u8, 16))
    return out


def test_the_scan_sees_the_symbols_it_should():
    assert _code_points("a \u26d4 &#9940; &#x26d4; \\u26d4") == {0x26D4}
    assert 0x26D4 not in _cmap() and 0x2717 in _cmap()


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_symbols_are_in_dejavu_sans(path):
    cmap = _cmap()
    missing = sorted(cp for cp in _code_points(path.read_text(encoding="utf-8"))
                     if cp not in cmap)
    assert not missing, [f"U+{cp:04X}" for cp in missing]
