"""Solution stripping has one home (vmotion_labs.grading.solutions): the labs' student edition and
the book's learner edition show every exercise cell the same way, and neither shows a solution."""

import json
import sys
from pathlib import Path

import pytest

from vmotion_labs.grading import solutions, studentize

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "book" / "_scripts"))
import assemble  # noqa: E402

# today's notebooks mark exercises with skeletons instead; any that use the markers are compared too
NOTEBOOKS = sorted(p for p in [*ROOT.glob("labs/lab[0-9]*/*.ipynb"), *ROOT.glob("course/*.ipynb")]
                   if solutions.BEGIN in p.read_text(encoding="utf-8"))
EXERCISES = [
    "x = 1\n### BEGIN SOLUTION\nx = 42\n### END SOLUTION\nprint(x)\n",
    "def f(env):\n    ### BEGIN SOLUTION\n    return env.hosts\n    ### END SOLUTION\n",
    "a = 1\n### BEGIN SOLUTION\nb = 2\n### END SOLUTION\nc = 3\n### BEGIN SOLUTION\nd = 4\n"
    "### END SOLUTION\n",
]


def _code(nb):
    return ["".join(c["source"]) if isinstance(c["source"], list) else c["source"]
            for c in nb["cells"] if c["cell_type"] == "code"]


def test_both_builders_use_the_one_helper():
    assert studentize.strip_solutions is solutions.strip_solutions
    assert assemble.strip_solutions is solutions.strip_solutions
    assert studentize.INSTRUCTOR_ONLY is assemble.INSTRUCTOR_ONLY is solutions.INSTRUCTOR_ONLY


def _exercise_notebook(folder):
    cells = [{"cell_type": "markdown", "metadata": {}, "source": "# An exercise"}]
    cells += [{"cell_type": "code", "metadata": {}, "source": src, "outputs": [],
               "execution_count": None} for src in EXERCISES + ["print('no solution here')\n"]]
    path = folder / "exercise.ipynb"
    path.write_text(json.dumps({"cells": cells, "metadata": {}, "nbformat": 4,
                                "nbformat_minor": 4}), encoding="utf-8")
    return path


@pytest.mark.parametrize("path", [None, *NOTEBOOKS], ids=lambda p: p.name if p else "exercises")
def test_learner_book_and_student_edition_show_the_same_exercise(path, tmp_path):
    path = path or _exercise_notebook(tmp_path)
    original = json.loads(path.read_text(encoding="utf-8"))
    student = studentize._student_notebook(original)
    staged = tmp_path / "staged" / path.name
    assemble.stage_notebook(path, staged, path.name, "lab", "learner")
    book = json.loads(staged.read_text(encoding="utf-8"))
    # the book shows each exercise as a markdown code block (the original runs hidden)
    shown = ["".join(c["source"]).removeprefix("```python\n").removesuffix("\n```\n")
             for c in book["cells"] if c["cell_type"] == "markdown"
             and "".join(c["source"]).startswith("```python\n")]
    stripped = [s.rstrip() for s in _code(student) if solutions.PLACEHOLDER in s]
    assert shown == stripped and shown
    for text in shown:
        assert solutions.BEGIN not in text and solutions.END not in text
        assert "42" not in text and "env.hosts" not in text and "d = 4" not in text
