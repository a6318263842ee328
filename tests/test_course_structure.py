"""Structure checks for the course notebooks (course/NN-kebab-title.ipynb).

Every module must have the sections the course brief requires, in order, be stored without
outputs, hold at least one exercise with a collapsed solution, a self-check quiz, a "predict, then
run" moment (modules 01 and up), a Sources section that cites a KB article or VMware document, and
a static stand-in next to every live widget. Module 00 must list every module and lab that exists,
with the same "Time to learn" as the module itself.

The checker is plain functions (``notebook_problems``) so it is tested on small synthetic
notebooks first; then it runs over the real files.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
COURSE = ROOT / "course"
LABS = ROOT / "labs"
NAME = re.compile(r"^(\d\d)-[a-z0-9]+(?:-[a-z0-9]+)*\.ipynb$")
SECTIONS = ("Overview", "Prerequisites", "Exercises", "Self-check", "Key points", "Sources")
TIME = re.compile(r"Time to learn:?\**\s*(\d+)\s*minutes", re.I)
SOURCE_CITE = re.compile(
    r"\bKB\s*\d{4,}\b|docs\.vmware\.com|knowledge\.broadcom\.com|"
    r"vSphere\s+[0-9.]+(?:\s+U\d)?\s+[\w ,/-]*(?:Guide|Management|Networking|Administration|"
    r"Security|Availability|documentation|doc)\b", re.I)
EXERCISE = re.compile(r"```\{exercise(?:-start)?\}[^\n]*\n(?::[^\n]*\n)*?:label:\s*(\S+)")
SOLUTION = re.compile(r"```\{solution(?:-start)?\}\s+(\S+)\s*\n((?::[^\n]*\n)*)")
LIVE_WIDGET = re.compile(r"\b(PrecopyExplorer|MigrateWizard|NetworkView)\s*\(")
SIMULATOR = re.compile(r"\b(simulate_precopy|(?:PrecopyRun|Migration)\s*\(|migrate\s*\(|analytic_precopy)")
STATIC_NOTE = "Run this notebook in JupyterLab to use the live version"


def module_files():
    return sorted(p for p in COURSE.glob("[0-9][0-9]-*.ipynb"))


def _markdown(nb):
    return [c.source for c in nb.cells if c.cell_type == "markdown"]


def _sections(nb):
    """(title, cell index) for every level-2 heading, in order."""
    found = []
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "markdown":
            continue
        for line in cell.source.splitlines():
            m = re.match(r"^##\s+(.+?)\s*#*\s*$", line)
            if m:
                found.append((m.group(1), i))
    return found


def _section_text(nb, title):
    """Markdown and code of the cells from heading ``title`` up to the next level-2 heading."""
    heads = _sections(nb)
    for k, (name, start) in enumerate(heads):
        if name == title:
            end = heads[k + 1][1] if k + 1 < len(heads) else len(nb.cells)
            first = nb.cells[start].source.split(f"## {title}", 1)[-1]
            rest = [c.source for c in nb.cells[start + 1:end]]
            if k + 1 < len(heads) and heads[k + 1][1] == start:     # next heading in same cell
                first = first.split("\n## ", 1)[0]
                rest = []
            return "\n".join([first, *rest]), nb.cells[start:end]
    return "", []


def notebook_problems(nb, number):
    """Return a list of human-readable problems with notebook ``nb`` (module ``number``)."""
    problems = []
    titles = [t for t, _ in _sections(nb)]
    h1 = [line for src in _markdown(nb) for line in src.splitlines() if re.match(r"^# \S", line)]
    if len(h1) != 1:
        problems.append(f"needs exactly one '# Title' heading, found {len(h1)}")
    positions = []
    for sec in SECTIONS:
        if sec not in titles:
            problems.append(f"missing section '## {sec}'")
        else:
            positions.append(titles.index(sec))
    if positions != sorted(positions):
        problems.append(f"sections out of order: expected {', '.join(SECTIONS)}")

    overview, _ = _section_text(nb, "Overview")
    if overview and not re.search(r"^\s*[-*]\s+\S", overview, re.M):
        problems.append("'## Overview' needs learning objectives as a bullet list")
    prereq, _ = _section_text(nb, "Prerequisites")
    if prereq and not TIME.search(prereq):
        problems.append("'## Prerequisites' needs 'Time to learn: N minutes'")

    exercises, _ = _section_text(nb, "Exercises")
    labels = EXERCISE.findall(exercises)
    solutions = dict(SOLUTION.findall(exercises))
    if not labels:
        problems.append("'## Exercises' needs at least one {exercise} with a :label:")
    for label in labels:
        if not re.fullmatch(rf"m{number:02d}-ex\d+", label):
            problems.append(f"exercise label '{label}' should look like m{number:02d}-exK")
        if label not in solutions:
            problems.append(f"exercise '{label}' has no {{solution}} {label}")
        elif ":class: dropdown" not in solutions[label]:
            problems.append(f"solution of '{label}' must be collapsed (:class: dropdown)")
    for label in solutions:
        if label not in labels:
            problems.append(f"solution '{label}' refers to no exercise in this notebook")

    _, quiz_cells = _section_text(nb, "Self-check")
    if titles.count("Self-check") and not any(
            c.cell_type == "code" and "Quiz(" in c.source for c in quiz_cells):
        problems.append("'## Self-check' needs a code cell that builds a Quiz(...)")

    sources, _ = _section_text(nb, "Sources")
    if sources and not SOURCE_CITE.search(sources):
        problems.append("'## Sources' must cite at least one KB number or VMware document")

    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "code" and (cell.get("outputs") or cell.get("execution_count")):
            problems.append(f"cell {i} has stored outputs (strip them before committing)")
    code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    text = "\n".join(_markdown(nb))
    if number >= 1:
        predicts = [i for i, c in enumerate(nb.cells)
                    if c.cell_type == "markdown" and re.search(r"\bpredict\b", c.source, re.I)]
        if not any(i + 1 < len(nb.cells) and nb.cells[i + 1].cell_type == "code"
                   for i in predicts):
            problems.append("needs a 'predict, then run' moment: a markdown cell asking to "
                            "predict, followed by the code cell that runs the model")
        if not re.search(r"\bassert\b", code):
            problems.append("needs at least one assert cell on a key number from the model")
        for i in predicts:  # issue 11 point 7: the cell the learner runs must not give it away
            j = next((k for k in range(i + 1, len(nb.cells)) if nb.cells[k].cell_type == "code"),
                     None)
            if j is not None and re.search(r"^\s*assert\b", nb.cells[j].source, re.M):
                problems.append(f"cell {j} answers the prediction of cell {i} in an assert; move "
                                "the checks to a later cell tagged remove-cell")
        for j, c in enumerate(nb.cells):
            if c.cell_type == "code" and c.source.startswith("# Checks (hidden") and \
                    "remove-cell" not in c.get("metadata", {}).get("tags", []):
                problems.append(f"check cell {j} must be tagged remove-cell (hidden on the site)")
    if LIVE_WIDGET.search(code) and STATIC_NOTE not in text:
        problems.append(f"live widget without static stand-in note '{STATIC_NOTE}'")
    if SIMULATOR.search(code) and "What the simulator simplifies" not in text:
        problems.append("uses the simulator but has no 'What the simulator simplifies' admonition")
    if re.search(r"""open\(\s*['"]\.\.?/|['"]\.\./""", code):
        problems.append("reads files by relative path; use package APIs instead")
    return problems


def time_to_learn(nb):
    prereq, _ = _section_text(nb, "Prerequisites")
    m = TIME.search(prereq)
    return int(m.group(1)) if m else None


# ----- the checker itself ----------------------------------------------------------------------

def _good_notebook(number=2):
    md, code = nbformat.v4.new_markdown_cell, nbformat.v4.new_code_cell
    ex = (f"```{{exercise}} Rounds\n:label: m{number:02d}-ex1\n\nHow many rounds?\n```\n\n"
          f"```{{solution}} m{number:02d}-ex1\n:class: dropdown\n\nThree.\n```")
    return nbformat.v4.new_notebook(cells=[
        md("# A module\n\n## Overview\n\n- objective one\n- objective two"),
        md("## Prerequisites\n\nTime to learn: 40 minutes"),
        md("## Content\n\nPredict: how many rounds?"),
        code("res = simulate_precopy(cfg)\nprint(res.n_rounds)"),
        md(":::{note} What the simulator simplifies\nA lot.\n:::"),
        code("# Checks (hidden on the website)\nassert res.converged",
             metadata={"tags": ["remove-cell"]}),
        md("## Exercises\n\n" + ex),
        md("## Self-check"),
        code("Quiz([])"),
        md("## Key points\n\n- one"),
        md("## Sources\n\n- KB 436882 How to identify vMotion stun time"),
    ])


def test_checker_accepts_a_complete_notebook():
    assert notebook_problems(_good_notebook(), 2) == []
    assert time_to_learn(_good_notebook()) == 40


@pytest.mark.parametrize("mutate, expected", [
    (lambda nb: nb.cells.pop(9), "missing section '## Key points'"),
    (lambda nb: setattr(nb.cells[1], "source", "## Prerequisites\n\nnone"), "Time to learn"),
    (lambda nb: setattr(nb.cells[0], "source", "# A\n\n## Overview\n\ntext only"), "bullet list"),
    (lambda nb: setattr(nb.cells[10], "source", "## Sources\n\n- a blog"), "KB number"),
    (lambda nb: setattr(nb.cells[3], "outputs", [{"output_type": "stream", "name": "stdout",
                                                  "text": "x"}]), "stored outputs"),
    (lambda nb: setattr(nb.cells[6], "source", "## Exercises\n\nnone"), "at least one {exercise}"),
    (lambda nb: setattr(nb.cells[6], "source", nb.cells[6].source.replace(":class: dropdown\n", "")),
     "collapsed"),
    (lambda nb: setattr(nb.cells[6], "source", nb.cells[6].source.replace("m02-ex1", "ex1")),
     "should look like m02-exK"),
    (lambda nb: setattr(nb.cells[8], "source", "print('no quiz')"), "Quiz(...)"),
    (lambda nb: setattr(nb.cells[2], "source", "## Content\n\nRun it."), "predict, then run"),
    (lambda nb: setattr(nb.cells[4], "source", "A note."), "What the simulator simplifies"),
    (lambda nb: setattr(nb.cells[5], "source", "x = 1"), "assert cell"),
    (lambda nb: setattr(nb.cells[3], "source", "res = simulate_precopy(cfg)\nassert res.converged"),
     "answers the prediction"),
    (lambda nb: setattr(nb.cells[5], "metadata", {}), "tagged remove-cell"),
    (lambda nb: nb.cells.insert(4, nbformat.v4.new_code_cell("PrecopyExplorer().widget")),
     "static stand-in"),
    (lambda nb: nb.cells.insert(4, nbformat.v4.new_code_cell("open('../data.yaml')")),
     "relative path"),
    (lambda nb: nb.cells.insert(1, nbformat.v4.new_markdown_cell("## Sources\n\nKB 436882")),
     "out of order"),
])
def test_checker_reports_each_problem(mutate, expected):
    nb = _good_notebook()
    mutate(nb)
    problems = notebook_problems(nb, 2)
    assert any(expected in p for p in problems), problems


# ----- the real course -------------------------------------------------------------------------

def test_course_has_modules_00_to_08():
    numbers = {int(NAME.match(p.name).group(1)) for p in module_files() if NAME.match(p.name)}
    missing = sorted(set(range(9)) - numbers)
    assert not missing, f"course/ lacks modules {missing}"


@pytest.mark.parametrize("path", module_files(), ids=lambda p: p.name)
def test_module_structure(path):
    m = NAME.match(path.name)
    assert m, f"{path.name}: name must be NN-kebab-title.ipynb"
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    problems = notebook_problems(nb, int(m.group(1)))
    assert not problems, f"{path.name}:\n  " + "\n  ".join(problems)


def test_exercise_labels_are_unique_across_the_course():
    seen = {}
    for path in module_files():
        nb = nbformat.read(path, as_version=4)
        for label in EXERCISE.findall("\n".join(_markdown(nb))):
            assert label not in seen, f"label {label} in {path.name} and {seen[label]}"
            seen[label] = path.name


def test_start_here_lists_every_module_and_lab_with_matching_times():
    start = COURSE / "00-start-here.ipynb"
    assert start.exists(), "course/00-start-here.ipynb is missing"
    text = "\n".join(_markdown(nbformat.read(start, as_version=4)))
    for path in module_files():
        if path.name == start.name:
            continue
        rows = [line for line in text.splitlines() if path.name in line]
        assert rows, f"00-start-here does not list {path.name}"
        minutes = time_to_learn(nbformat.read(path, as_version=4))
        listed = re.findall(r"(\d+)\s*min", rows[0])
        assert listed and int(listed[0]) == minutes, (
            f"00-start-here lists {path.name} with {listed} min, the module says {minutes}")
    for lab in sorted(LABS.glob("lab[0-9][0-9]*")):
        if lab.is_dir():
            lab_id = lab.name[:5]
            assert lab_id in text, f"00-start-here does not mention {lab_id}"
