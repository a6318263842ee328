"""Every module's stated time covers what a newcomer needs (scripts/pacing.py's estimate)."""

import importlib.util
import json

import pytest

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("pacing", ROOT / "scripts" / "pacing.py")
pacing = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(pacing)


@pytest.mark.parametrize("path", pacing.modules(), ids=lambda p: p.stem)
def test_stated_time_covers_a_newcomer(path):
    p = pacing.pace(path)
    assert p.stated, f"{path.name} states no 'Time to learn: N minutes'"
    assert p.core <= pacing.TOLERANCE * p.stated, (
        f"{path.name}: a newcomer needs about {p.core:.0f} min, the module states {p.stated}")


def _cell(*lines, cell_type="markdown"):
    return {"cell_type": cell_type, "metadata": {}, "source": "\n".join(lines)}


def test_optional_parts_are_not_core(tmp_path):
    words = " ".join(["word"] * 120)  # one minute of reading
    nb = {"cells": [
        _cell("Time to learn: 5 minutes", words),
        _cell("## Going deeper", words, "### still deeper", words),
        _cell("## Back to the core", words),
        _cell("```{admonition} Source caveat", ":class: dropdown", words, "```"),
        _cell("```{exercise} Try it", ":label: x", "Do it.", "```",
              "```{solution} x", words, "```"),
        _cell("## Sources", words),
        _cell("Quiz([Question('a', ['x', 'y'], answer=1)])", cell_type="code"),
    ], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    path = tmp_path / "09-x.ipynb"
    path.write_text(json.dumps(nb))
    p = pacing.pace(path)
    assert p.stated == 5
    # two minutes of core reading (plus a few words of headings and labels), the exercise,
    # one quiz question; five minutes optional
    assert p.core == pytest.approx(2 + pacing.EXERCISE_MIN + pacing.QUESTION_MIN, abs=0.2)
    assert p.optional == pytest.approx(5, abs=0.1)
