"""Build the student edition of the labs: no solutions, no hidden checks.

The repository is the instructor edition. Solutions live in ``labNN_*/solution.py`` and hidden
checks in ``labNN_*/hidden.py``; the student edition leaves both files out, and in every notebook
it replaces code between ``### BEGIN SOLUTION`` and ``### END SOLUTION`` with ``# YOUR CODE
HERE`` and clears outputs (one small transform each, nbgrader style). The learner-side
``lab.check()`` still knows how many hidden checks there are, from ``lab.yaml``.

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

__all__ = ["INSTRUCTOR_ONLY", "strip_solutions", "clear_outputs", "build_student_edition"]

INSTRUCTOR_ONLY = ("solution.py", "hidden.py")
_BEGIN, _END = "### BEGIN SOLUTION", "### END SOLUTION"
_ROOT = Path(__file__).resolve().parent.parent
_SKIP = re.compile(r"(__pycache__|\.ipynb_checkpoints|\.pyc$)")


def strip_solutions(source):
    """Replace every solution block in cell ``source`` text by a placeholder line.

    >>> print(strip_solutions("x = 1\\n### BEGIN SOLUTION\\nx = 42\\n### END SOLUTION\\n"))
    x = 1
    # YOUR CODE HERE
    <BLANKLINE>
    """
    out, inside = [], False
    for line in source.splitlines(keepends=True):
        if line.strip() == _BEGIN:
            inside = True
            indent = line[: len(line) - len(line.lstrip())]
            out.append(f"{indent}# YOUR CODE HERE\n")
        elif line.strip() == _END:
            inside = False
        elif not inside:
            out.append(line)
    return "".join(out)


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
        src = cell.get("source", "")
        text = "".join(src) if isinstance(src, list) else src
        cell["source"] = strip_solutions(text)
    return nb


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
             (p.name in INSTRUCTOR_ONLY or (p.suffix == ".ipynb" and
                                            _BEGIN in p.read_text(encoding="utf-8")))]
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
          f"(left out: {', '.join(INSTRUCTOR_ONLY)} of every lab)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
