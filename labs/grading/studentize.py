"""Build the student edition of the labs: no solutions, no hidden checks, no secrets.

The repository is the instructor edition. Solutions live in ``labNN_*/solution.py``, hidden
checks in ``labNN_*/hidden.py`` and the tests' fault injectors in ``labNN_*/faults.py``; the
student edition leaves them out (``faults.py`` stays only where the start state needs it:
lab05 injects the learner's fault from its catalogue), and in every notebook it replaces code
between ``### BEGIN SOLUTION`` and ``### END SOLUTION`` with ``# YOUR CODE HERE`` and clears
outputs (one small transform each, nbgrader style). The markers and the stripping are
:mod:`vmotion_labs.grading.solutions`, shared with the book's learner edition. The learner-side
``lab.check()`` still knows how many hidden checks there are, from ``lab.yaml``. There is no
secret to leave out: grading replays the learner's operations and needs no secret on the
learner's side (:mod:`vmotion_labs.grading.oplog`).

Usage::

    python -m vmotion_labs.grading.studentize OUT_DIR

writes ``OUT_DIR/vmotion_labs/`` (an importable package folder) and refuses to finish if a
solution marker or instructor file survived.
"""

import argparse
import json
import re
import shutil
import sys
from pathlib import Path

from .solutions import BEGIN, INSTRUCTOR_ONLY, strip_solutions

__all__ = ["INSTRUCTOR_ONLY", "TEST_ONLY", "LEAK_MARKERS", "strip_solutions", "clear_outputs",
           "build_student_edition"]

#: left out unless the lab's package imports it (its start state needs it)
TEST_ONLY = ("faults.py",)
#: what no shipped file may contain (a hidden check, a reference solution, a solution marker)
LEAK_MARKERS = ("hidden=True", "def solve(", "reference_plan", BEGIN, "from .solution",
                "from .hidden", "import solution", "import hidden")
_ROOT = Path(__file__).resolve().parent.parent
_SKIP = re.compile(r"(__pycache__|\.ipynb_checkpoints|\.pyc$)")


def clear_outputs(nb):
    """Return notebook dict ``nb`` with outputs and execution counts removed."""
    nb = json.loads(json.dumps(nb))
    for cell in nb.get("cells", []):
        if cell.get("cell_type") == "code":
            cell["outputs"], cell["execution_count"] = [], None
    return nb


def _student_notebook(nb):
    nb = clear_outputs(nb)
    for cell in nb.get("cells", []):
        cell["source"] = strip_solutions("".join(cell.get("source", "")))  # a list or one text
    return nb


def _needed(path):
    """Whether the lab package next to ``path`` imports it (lab05's fault catalogue)."""
    init = path.parent / "__init__.py"
    return init.exists() and f"from .{path.stem} import" in init.read_text(encoding="utf-8")


def _leaks(path):
    if path.suffix not in (".py", ".ipynb", ".yaml", ".md", ".json"):
        return False
    text = path.read_text(encoding="utf-8")
    if path.parent.name == "grading":   # the framework names the markers; it holds no lab
        return BEGIN in text and path.suffix == ".ipynb"
    return any(m in text for m in LEAK_MARKERS)


def build_student_edition(out_dir, src=_ROOT):
    """Copy the labs package from ``src`` to ``out_dir/vmotion_labs`` as a student edition.

    Returns the list of written files (relative paths). Raises ``RuntimeError`` if the result
    still holds a solution marker or an instructor-only file.
    """
    src, dest = Path(src), Path(out_dir) / "vmotion_labs"
    if dest.exists():
        shutil.rmtree(dest)
    written = []
    for f in sorted(src.rglob("*")):
        rel = f.relative_to(src)
        if f.is_dir() or _SKIP.search(str(rel)) or f.name in INSTRUCTOR_ONLY:
            continue
        if f.name in TEST_ONLY and not _needed(f):
            continue
        target = dest / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        if f.suffix == ".ipynb":
            nb = _student_notebook(json.loads(f.read_text(encoding="utf-8")))
            target.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n",
                              encoding="utf-8")
        else:
            shutil.copy2(f, target)
        written.append(str(rel))
    leaks = [str(p.relative_to(dest)) for p in dest.rglob("*") if p.is_file() and
             (p.name in INSTRUCTOR_ONLY or _leaks(p))]
    if leaks:
        raise RuntimeError(f"student edition still holds instructor material: {leaks}")
    return written


def main(argv=None):
    p = argparse.ArgumentParser(prog="python -m vmotion_labs.grading.studentize",
                                description="Write the student edition of the labs.")
    p.add_argument("out_dir")
    args = p.parse_args(argv)
    files = build_student_edition(args.out_dir)
    print(f"student edition: {len(files)} files in {Path(args.out_dir) / 'vmotion_labs'} "
          f"(left out: {', '.join(INSTRUCTOR_ONLY + TEST_ONLY)} where not needed)",
          file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
