"""How long a newcomer needs for each module, estimated from the notebook itself.

    python scripts/pacing.py          # table: stated time, estimate, ratio, optional extra

The estimate models the learner the course is written for (an administrator new to vMotion,
a little Python). The constants are calibrated on the first release (commit 86945c6), where a
newcomer review measured about 1.8x the stated times and this estimate gives 1.82x:

- reading: 120 words a minute of technical prose, in the markdown a learner must read;
- code: 0.75 min to read, run and look at each visible code cell, plus 0.05 min per line;
- an exercise: 10 min (reading it, trying, comparing with the solution);
- a quiz question: 1 min.

Not counted in the core time, because the page marks them optional: sections headed
"Going deeper" (up to the next heading of the same level), collapsible blocks (``{dropdown}`` or
an admonition with ``:class: dropdown``), solutions (part of the exercise's time) and the
"Sources" section. The optional part is reported separately.
"""

import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WORDS_PER_MIN = 120
CELL_MIN, LINE_MIN = 0.75, 0.05
EXERCISE_MIN, QUESTION_MIN = 10, 1
TOLERANCE = 1.2  # a newcomer may need up to 1.2x the stated time

_STATED = re.compile(r"Time to learn: (\d+) minutes")
_WORD = re.compile(r"[A-Za-z0-9][\w'.-]*")
_OPTIONAL_HEADING = re.compile(r"^(#{2,4}) +(Going deeper|Sources)\b", re.I)
_HEADING = re.compile(r"^(#{1,4}) ")
_FENCE_OPEN = re.compile(r"^(`{3,}|:{3,})\{(\w[\w-]*)\}")


@dataclass
class Pace:
    name: str
    stated: int | None
    core: float      # minutes a newcomer needs for the required part
    optional: float  # minutes for the parts marked optional

    @property
    def ratio(self):
        return self.core / self.stated if self.stated else float("inf")


def _source(cell):
    src = cell["source"]
    return "".join(src) if isinstance(src, list) else src


def _split_markdown(text):
    """(required words, optional words, exercises) of one markdown cell's text."""
    required = optional = exercises = 0
    fences = []          # stack of (marker, is_optional)
    skip_level = None    # heading level of an optional section we are in
    for line in text.splitlines():
        heading = _HEADING.match(line)
        if heading and not fences:
            level = len(heading.group(1))
            if skip_level is not None and level <= skip_level:
                skip_level = None
            if _OPTIONAL_HEADING.match(line):
                skip_level = level
        opened = _FENCE_OPEN.match(line)
        if opened:
            kind = opened.group(2)
            exercises += kind == "exercise"
            fences.append((opened.group(1), kind in ("solution", "dropdown")))
            continue
        if fences and line.strip() == fences[-1][0]:
            fences.pop()
            continue
        if fences and line.strip().startswith(":class:") and "dropdown" in line:
            fences[-1] = (fences[-1][0], True)
            continue
        words = len(_WORD.findall(line))
        if skip_level is not None or any(opt for _, opt in fences):
            optional += words
        else:
            required += words
    return required, optional, exercises


def _quiz_questions(src):
    return len(re.findall(r"\bQuestion\(", src))


def pace(path):
    nb = json.loads(Path(path).read_text(encoding="utf-8"))
    core = optional = 0.0
    stated = None
    for cell in nb["cells"]:
        src = _source(cell)
        if cell["cell_type"] == "markdown":
            if stated is None and (m := _STATED.search(src)):
                stated = int(m.group(1))
            req, opt, ex = _split_markdown(src)
            core += req / WORDS_PER_MIN + ex * EXERCISE_MIN
            optional += opt / WORDS_PER_MIN
        elif cell["cell_type"] == "code":
            if "remove-cell" in cell.get("metadata", {}).get("tags", []):
                continue
            questions = _quiz_questions(src)
            if questions:
                core += questions * QUESTION_MIN
            else:
                core += CELL_MIN + LINE_MIN * (src.count("\n") + 1)
    return Pace(Path(path).stem, stated, core, optional)


def modules():
    return sorted((ROOT / "course").glob("0*.ipynb"))


def main():
    rows = [pace(p) for p in modules()]
    print(f"{'module':40s} {'stated':>6s} {'needs':>6s} {'ratio':>6s} {'optional':>8s}")
    for r in rows:
        print(f"{r.name:40s} {r.stated or 0:6d} {r.core:6.0f} {r.ratio:6.2f} {r.optional:8.0f}")
    stated, core = sum(r.stated or 0 for r in rows), sum(r.core for r in rows)
    print(f"{'total':40s} {stated:6d} {core:6.0f} {core / stated:6.2f} "
          f"{sum(r.optional for r in rows):8.0f}")
    return 0 if all(r.ratio <= TOLERANCE for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
