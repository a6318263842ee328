"""The student edition holds no solutions and no hidden checks, and still counts hidden checks."""

import json

from vmotion_labs import lab_ids
from vmotion_labs.grading.studentize import INSTRUCTOR_ONLY, build_student_edition


def test_student_edition_has_no_instructor_material(tmp_path):
    files = build_student_edition(tmp_path)
    root = tmp_path / "vmotion_labs"
    assert not [f for f in files if f.rsplit("/", 1)[-1] in INSTRUCTOR_ONLY]
    for lab_id in lab_ids():
        folder = next(root.glob(f"{lab_id}_*"))
        assert (folder / "lab.yaml").exists() and (folder / "checks.py").exists()
        assert (folder / f"{lab_id}.ipynb").exists()
        assert not (folder / "solution.py").exists() and not (folder / "hidden.py").exists()
        nb = json.loads((folder / f"{lab_id}.ipynb").read_text())
        assert all(not c.get("outputs") for c in nb["cells"] if c["cell_type"] == "code")
    assert (root / "grading" / "batch.py").exists()


def test_no_public_module_imports_instructor_files():
    from pathlib import Path
    import vmotion_labs
    root = Path(vmotion_labs.__file__).parent
    for f in root.glob("lab*/*.py"):
        if f.name in INSTRUCTOR_ONLY:
            continue
        text = f.read_text()
        assert "from .solution" not in text and "from .hidden" not in text, f


def test_student_edition_holds_no_solution_hidden_check_or_secret(tmp_path):
    from vmotion_labs.grading.studentize import LEAK_MARKERS
    build_student_edition(tmp_path)
    root = tmp_path / "vmotion_labs"
    faults = sorted(p.parent.name for p in root.rglob("faults.py"))
    assert faults == ["lab05_troubleshooting"]   # its start state injects the learner's fault
    for p in root.rglob("*"):
        if p.is_file() and p.parent.name != "grading" and p.suffix in (".py", ".yaml", ".ipynb"):
            text = p.read_text(encoding="utf-8")
            assert not [m for m in LEAK_MARKERS if m in text], p
            assert "SECRET" not in text.replace("SECRET_PARAMS", ""), p


def test_student_edition_works_on_its_own(tmp_path):
    """Open every lab from the student edition alone; check() announces the hidden checks,
    and a hand-in it saves is graded by the instructor edition."""
    import os
    import subprocess
    import sys
    build_student_edition(tmp_path)
    code = ("import json, sys; from vmotion_labs import Lab, lab_ids\n"
            "import vmotion_labs; assert vmotion_labs.__file__.startswith(sys.argv[1])\n"
            "out = {}\n"
            "for lab_id in lab_ids():\n"
            "    lab = Lab.open(lab_id, learner='alice')\n"
            "    r = lab.check()\n"
            "    out[lab_id] = [len(r.results), len(r.pending), r.score]\n"
            "lab.save(sys.argv[1] + '/h.json')\n"
            "print(json.dumps(out))\n")
    env = {**os.environ, "PYTHONPATH": str(tmp_path)}
    p = subprocess.run([sys.executable, "-c", code, str(tmp_path)], capture_output=True,
                       text=True, env=env, cwd=tmp_path, timeout=300)
    assert p.returncode == 0, p.stderr
    got = json.loads(p.stdout)
    assert sorted(got) == lab_ids()
    assert all(pending >= 1 and score == 0 for _, pending, score in got.values())
    from vmotion_labs.grading.sandbox import grade_file
    r = grade_file(lab_ids()[-1], tmp_path / "h.json", learner="alice")
    assert r["status"] == "graded" and any(c["hidden"] for c in r["report"]["results"])
