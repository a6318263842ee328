"""No answer position takes more than 40 % of the right answers across the course's quizzes.

Quizzes are found by reading the code cells of ``course/*.ipynb`` (``Question(prompt, options,
answer=...)`` calls, parsed, not run). The modules' quizzes and the final quiz are each balanced
on their own.
"""

import ast
import collections
import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
COURSE = ROOT / "course"
FINAL = "final-assessment.ipynb"
MAX_SHARE = 0.40


def questions(nb_path):
    """``[(number of options, index of the right one)]`` for every Question in a notebook."""
    nb = json.loads(nb_path.read_text(encoding="utf-8"))
    found = []
    for cell in nb["cells"]:
        if cell["cell_type"] != "code":
            continue
        src = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        for node in ast.walk(ast.parse(src)):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "Question":
                args = {i: a for i, a in enumerate(node.args)}
                kw = {k.arg: k.value for k in node.keywords}
                options, answer = kw.get("options", args.get(1)), kw.get("answer", args.get(2))
                found.append((len(options.elts), ast.literal_eval(answer)))
    return found


def shares(nb_paths):
    counts = collections.Counter(a for p in nb_paths for _, a in questions(p))
    total = sum(counts.values())
    return {"abcdefgh"[k]: v / total for k, v in sorted(counts.items())}, total


def _modules():
    return [p for p in sorted(COURSE.glob("*.ipynb")) if p.name != FINAL]


def test_parser_finds_the_quizzes():
    found = [q for p in _modules() for q in questions(p)]
    assert len(found) >= 30 and all(0 <= a < n for n, a in found)
    final = questions(COURSE / FINAL)
    assert len(final) >= 8 and all(n >= 4 for n, _ in final)


def test_final_quiz_is_balanced():
    share, total = shares([COURSE / FINAL])
    assert max(share.values()) <= MAX_SHARE, share
    assert len(share) == 4, f"every position is right at least once: {share}"


def test_module_quizzes_are_balanced():
    share, total = shares(_modules())
    assert max(share.values()) <= MAX_SHARE, f"{share} over {total} questions"

