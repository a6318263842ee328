"""The learner edition of the course and labs, and putting it into a learner's home.

:func:`build_edition` writes the course notebooks (outputs cleared, solution blocks stripped, as
in ``vmotion_labs.grading.studentize``) and one notebook per lab, each with the learner's id line
ready to be set to the account (``LEARNER = "..."``), plus the glossary.

:func:`provision_home` runs before each server start. It copies every edition file the learner
does not have yet into ``~/vmotion-workshop`` and **never overwrites** a file the learner has: when
the instructor pushes a course update and a file the learner already has changed in the edition,
the new version lands next to it as ``NAME (update N).ipynb``. A manifest
(``.vmotion-edition.json``) remembers what was delivered.
"""

import hashlib
import json
import os
import re
import shutil
from pathlib import Path

from .runtime import REPO

__all__ = ["build_edition", "provision_home", "FOLDER", "personalise"]

FOLDER = "vmotion-workshop"
MANIFEST = ".vmotion-edition.json"
_LEARNER_LINE = re.compile(r'^LEARNER = "student".*$', re.M)
_LEARNER_SET = 'LEARNER = "{user}"   # your class account (set by the class hub)'
_UPDATED = "{stem} (update {n}){suffix}"
_HAND_IN = ("## Hand in (class hub)\n\nOn the class hub you hand in with `lab.submit()`: it sends "
            "your work to your instructor and shows your feedback at once. Submit as often as you "
            "like; every submission is kept and the newest counts. Hidden checks are graded too; "
            "their results appear after the lab's deadline.")
_README = """# vMotion Workshop (class edition)

- `course/`: the course notebooks, in order. Start with `00-start-here.ipynb`.
- `labs/`: the graded labs. Run a lab to the end; `lab.submit()` hands it in and shows your
  feedback at once. Submit as often as you like: every submission is kept, the newest counts.

Your files here are yours: a course update never overwrites them. Updated notebooks appear next
to yours as `NAME (update N).ipynb`.
"""


def build_edition(out):
    """Write the learner edition into folder ``out`` (emptied first); return its file list."""
    from vmotion_labs.grading.studentize import _student_notebook
    out = Path(out)
    if out.exists():
        shutil.rmtree(out)
    files = {}
    for nb in sorted((REPO / "course").glob("*.ipynb")):
        files[f"course/{nb.name}"] = _student_notebook(json.loads(nb.read_text("utf-8")))
    for nb in sorted((REPO / "labs").glob("lab[0-9][0-9]_*/lab[0-9][0-9].ipynb")):
        files[f"labs/{nb.name}"] = _with_hand_in(_student_notebook(json.loads(nb.read_text("utf-8"))))
    for rel, nb in files.items():
        (out / rel).parent.mkdir(parents=True, exist_ok=True)
        (out / rel).write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n", "utf-8")
    glossary = REPO / "course" / "glossary.md"
    if glossary.exists():
        shutil.copy(glossary, out / "course" / "glossary.md")
    (out / "README.md").write_text(_README, "utf-8")
    for dirpath, _, names in os.walk(out):
        os.chmod(dirpath, 0o755)
        for n in names:
            os.chmod(os.path.join(dirpath, n), 0o644)
    return sorted(str(p.relative_to(out)) for p in out.rglob("*") if p.is_file())


def _with_hand_in(nb):
    """A lab notebook of the class edition ends with the hand-in step of the hub."""
    nb["cells"] += [{"cell_type": "markdown", "metadata": {}, "source": _HAND_IN},
                    {"cell_type": "code", "metadata": {}, "execution_count": None, "outputs": [],
                     "source": "lab.submit()"}]
    for cell in nb["cells"]:
        cell.pop("id", None)  # ids are optional before nbformat 4.5; none beats duplicates
    return nb


def personalise(data, user):
    """Set the lab notebook's learner id to the hub account (variants are per learner)."""
    nb = json.loads(data)
    for cell in nb.get("cells", []):
        text = "".join(cell.get("source", ""))  # a list of lines or one text
        cell["source"] = _LEARNER_LINE.sub(lambda m: _LEARNER_SET.format(user=user), text)
    return (json.dumps(nb, indent=1, ensure_ascii=False) + "\n").encode("utf-8")


def provision_home(edition, home, user, uid, gid):
    """Copy what ``home`` lacks from ``edition``; return ``(added, updates)`` relative paths."""
    edition, home = Path(edition), Path(home)
    dest = home / FOLDER
    manifest_path = dest / MANIFEST
    try:
        _no_links(manifest_path, home)
        manifest = json.loads(manifest_path.read_text("utf-8"))
    except (OSError, ValueError):
        manifest = {}
    added, updates = [], []
    for src in sorted(p for p in edition.rglob("*") if p.is_file()):
        rel = str(src.relative_to(edition))
        data = src.read_bytes()
        if src.suffix == ".ipynb" and rel.startswith("labs/"):
            data = personalise(data, user)
        digest = hashlib.sha256(data).hexdigest()
        target = dest / rel
        if not target.exists() and rel not in manifest:
            _write_as(target, data, uid, gid, home)
            added.append(rel)
        elif manifest.get(rel, digest) != digest:  # the edition changed since we delivered it
            n = sum(1 for k in manifest if k.startswith(rel + "#update")) + 1
            name = _UPDATED.format(stem=target.stem, n=n, suffix=target.suffix)
            _write_as(target.with_name(name), data, uid, gid, home)
            manifest[f"{rel}#update{n}"] = digest
            updates.append(str(Path(rel).with_name(name)))
        manifest[rel] = digest
    _write_as(manifest_path, json.dumps(manifest, indent=1).encode(), uid, gid, home)
    return added, updates


def _no_links(path, home):
    """Refuse a path below ``home`` that goes through a symbolic link: this runs as root, and a
    learner's link (``vmotion-workshop -> /etc``) must not make root read or write elsewhere."""
    for part in [*reversed(Path(path).relative_to(home).parents), Path(path).relative_to(home)]:
        if (home / part).is_symlink():
            raise PermissionError(f"{home / part} is a symbolic link; not following it")


def _write_as(path, data, uid, gid, home):
    """Write ``data`` to ``path`` owned by the learner (folders too), never through links."""
    path = Path(path)
    _no_links(path, home)
    for folder in reversed([path.parent, *path.parent.parents]):
        if not folder.exists():
            folder.mkdir(mode=0o755)
            os.chown(folder, uid, gid)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, 0o644)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
    os.chown(path, uid, gid)


def main(argv=None):
    """``python -m vmotion_class.edition build DIR`` writes the learner edition;
    ``python -m vmotion_class.edition provision DIR`` copies it into ``$HOME`` as the current user
    (the single-user image's start hook on Kubernetes, where there is no pre-spawn hook as root)."""
    import argparse
    import pwd
    import sys
    p = argparse.ArgumentParser(prog="python -m vmotion_class.edition")
    p.add_argument("action", choices=("build", "provision"))
    p.add_argument("folder")
    a = p.parse_args(argv)
    if a.action == "build":
        print(f"learner edition: {len(build_edition(a.folder))} files in {a.folder}",
              file=sys.stderr)
        return 0
    me = pwd.getpwuid(os.getuid())
    home = os.environ.get("HOME") or me.pw_dir
    user = os.environ.get("JUPYTERHUB_USER") or me.pw_name
    added, updates = provision_home(a.folder, home, user, os.getuid(), os.getgid())
    print(f"learner edition: {len(added)} added, {len(updates)} update(s)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
