"""What can be checked of the Windows route without Windows: scripts/course.ps1 refers to things
that exist (the start notebook, the pure-Python install switch setup.py reads, the venv layout
Python uses on Windows) and the README documents it. The script itself has never run (see
README, "Windows")."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PS1 = ROOT / "scripts" / "course.ps1"


def test_powershell_script_matches_the_repository():
    text = PS1.read_text(encoding="utf-8")
    assert "VMOTION_NO_COMPILE" in text
    assert 'os.environ.get("VMOTION_NO_COMPILE")' in (ROOT / "setup.py").read_text()
    start = "course/00-start-here.ipynb"
    assert start in text and (ROOT / start).exists()
    assert start in (ROOT / "scripts" / "course.sh").read_text()
    assert r".venv\Scripts\python.exe" in text
    assert "(3, 10)" in text and ">=3.10" in (ROOT / "pyproject.toml").read_text()
    assert "exit 2" in text   # a missing Python is a usage error, said in words


def test_readme_documents_the_windows_route_and_says_what_is_untested():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "## Windows" in readme and "scripts\\course.ps1" in readme
    assert "Untested" in readme and "WSL 2" in readme
