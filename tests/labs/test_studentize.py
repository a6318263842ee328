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
