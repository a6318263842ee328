"""Stage one edition of the book: pages, notebooks, generated reference, config and TOC. Not public.

The book is not built from ``book/`` in place: this script copies into a staging folder

- the book's own pages (``book/*.md``, ``book/reference/``, ``_ext``),
- the course notebooks ``course/NN-*.ipynb``, the appendices (any other ``course/*.ipynb``),
  their assets and the glossary,
- the lab notebooks ``labs/labNN_*/*.ipynb`` (plus their files),
- the instructor guide and lab solutions (instructor edition only),
- the rule catalogue generated from the code (``gen_reference.py``; the API and CLI pages are
  written by Sphinx itself during the build),
- the vendored browser assets (``book/_vendor``),

and writes ``_config.yml`` (edition settings) and ``_toc.yml`` (from what exists), so new
notebooks appear in the site without editing any list.

Editions: ``learner`` hides every exercise solution (sphinx-exercise ``hide_solutions`` plus the
gated form, see ``_ext/edition.py``), leaves out the instructor guide and lab solution files, and
shows lab code between ``### BEGIN SOLUTION`` / ``### END SOLUTION`` as ``# YOUR CODE HERE``
(the cell still runs, hidden, so the rest of the page executes), with the markers and the
stripping of the labs' student edition (:mod:`vmotion_labs.grading.solutions`).
``instructor`` shows all.
"""

import copy
import hashlib
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import yaml
from vmotion_labs.grading.solutions import INSTRUCTOR_ONLY, has_solution, strip_solutions

BOOK = Path(__file__).resolve().parents[1]
ROOT = BOOK.parent
COURSE, LABS = ROOT / "course", ROOT / "labs"
EDITIONS = ("learner", "instructor")
# Book folders/files that are machinery, not pages.
_BOOK_SKIP = {"_build", "_vendor", "_scripts", "node_modules", "_config.yml", "_toc.yml",
              "package.json", "package-lock.json", "README.md", ".gitignore"}
_COPY_IGNORE = shutil.ignore_patterns("__pycache__", ".ipynb_checkpoints", "*.pyc", ".*")
_SOLUTION_NB = re.compile(r"solution", re.I)
_FONT_SUFFIXES = (".woff2", ".woff", ".ttf", ".eot", ".svg")
_INTRO_PAGES = ("intro",)
_INSTRUCTOR_NOTE = (":::{warning} Instructor edition\nThis edition shows the exercise and lab "
                    "solutions and includes the instructor guide. Publish the learner edition "
                    "(`bash scripts/book.sh`) to learners.\n:::\n")


def _copytree(src, dst):
    shutil.copytree(src, dst, ignore=_COPY_IGNORE, dirs_exist_ok=True)


def _src(nb_cell):
    return "".join(nb_cell.get("source", ""))  # a list of lines or one text


def _live_note(rel_path, kind):
    if kind == "lab":
        how = ("`lab.check()` feedback, the widgets and your own answers need a live Python "
               "kernel")
    else:
        how = "Sliders, buttons and the wizard need a live Python kernel"
    return (":::{admonition} Static copy of a notebook\n:class: tip vmotion-live-note\n"
            f"This page is `{rel_path}`, executed when the site was built. {how}: run "
            f"`bash scripts/course.sh` in the repository (it sets up everything and opens "
            f"JupyterLab), then open `{rel_path}`.\n:::\n")


def _md_cell(nb, source):
    cell = {"cell_type": "markdown", "metadata": {}, "source": source}
    if (nb.get("nbformat"), nb.get("nbformat_minor", 0)) >= (4, 5):  # cell ids since nbformat 4.5
        cell["id"] = "vmotion-" + hashlib.sha1(source.encode()).hexdigest()[:12]
    return cell


def stage_notebook(src, dst, rel_path, kind, edition):
    """Copy notebook ``src`` to ``dst`` with the edition's changes; return the cell count."""
    nb = json.loads(src.read_text(encoding="utf-8"))
    cells = []
    for cell in nb.get("cells", []):
        text = _src(cell)
        if edition == "learner" and cell.get("cell_type") == "code" and has_solution(text):
            # learners see the exercise as they get it; the original still runs (hidden) so that
            # the cells after it execute as in the instructor edition
            hidden = copy.deepcopy(cell)
            tags = hidden.setdefault("metadata", {}).setdefault("tags", [])
            tags.append("remove-cell")
            shown = _md_cell(nb, "```python\n" + strip_solutions(text).rstrip() + "\n```\n")
            cells += [shown, hidden]
            continue
        if edition == "learner" and "solution" in cell.get("metadata", {}).get("tags", []):
            cell = copy.deepcopy(cell)
            cell["metadata"]["tags"].append("remove-cell")
        cells.append(cell)
    note = _md_cell(nb, _live_note(rel_path, kind))
    first_h1 = next((i for i, c in enumerate(cells) if c.get("cell_type") == "markdown"
                     and re.search(r"^# \S", _src(c), re.M)), -1)
    cells.insert(first_h1 + 1, note)
    nb["cells"] = cells
    dst.parent.mkdir(parents=True, exist_ok=True)
    dst.write_text(json.dumps(nb, indent=1, ensure_ascii=False), encoding="utf-8")
    return len(cells)


def _pages(folder, *patterns):
    """The files of ``folder`` matching each pattern in turn, each pattern's sorted."""
    return [p for pattern in patterns for p in sorted(folder.glob(pattern)) if p.is_file()]


def _doc(path, base):
    return path.relative_to(base).with_suffix("").as_posix()


def stage(edition, out, preview=False):
    """Stage ``edition`` into folder ``out`` (emptied first); return a summary dict."""
    if edition not in EDITIONS:
        raise SystemExit(f"edition: {edition!r} is not one of {', '.join(EDITIONS)}")
    out = Path(out)
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    if not (BOOK / "_vendor" / "require.js").exists():
        raise SystemExit("assemble: book/_vendor is missing; run book/_scripts/vendor.py "
                         "(scripts/book.sh does it)")

    # 1. the book's own pages and machinery
    for item in BOOK.iterdir():
        if item.name in _BOOK_SKIP or item.name.startswith("."):
            continue
        (_copytree if item.is_dir() else shutil.copy2)(item, out / item.name)
    _copytree(BOOK / "_vendor", out / "_vendor")

    # 2. generated reference pages (separate process: it imports the whole package)
    gen = subprocess.run([sys.executable, str(BOOK / "_scripts" / "gen_reference.py"),
                          str(out / "reference")], capture_output=True, text=True)
    print(gen.stdout, end="")
    if gen.returncode:
        raise SystemExit(f"assemble: generating the reference pages failed:\n{gen.stderr}")

    # 3. course notebooks (and their assets), glossary, instructor guide
    course_docs, appendix_docs, instructor_docs, glossary, final_docs = [], [], [], [], []
    if COURSE.is_dir():
        _copytree(COURSE, out / "course")
        for p in out.joinpath("course").glob("*.ipynb"):
            p.unlink()  # re-staged below with the edition's changes
        for nb in _pages(COURSE, "*.ipynb"):
            stage_notebook(nb, out / "course" / nb.name, f"course/{nb.name}", "course", edition)
            # numbered modules are the course; the final assessment comes after the labs;
            # anything else (appendix-*) goes to Appendices
            (course_docs if re.match(r"\d\d-", nb.name) else
             final_docs if nb.name.startswith("final-") else appendix_docs).append(
                f"course/{nb.stem}")
        for page in _pages(COURSE, "*.md"):
            if page.name != "README.md":
                # the glossary and the cheat sheets are reference pages
                (glossary if re.search(r"glossary|cheat-sheet", page.stem.lower())
                 else appendix_docs).append(f"course/{page.stem}")
        instr = COURSE / "instructor"
        for page in _pages(instr, "*.md", "*.ipynb"):
            if page.name == "README.md":
                continue
            doc = f"course/instructor/{page.stem}"
            (glossary if "glossary" in page.stem.lower() else instructor_docs).append(doc)
        if edition == "learner":
            for doc in instructor_docs:
                for p in out.glob(doc + ".*"):
                    p.unlink()
            instructor_docs = []

    # 4. labs
    lab_docs, lab_solution_docs = [], []
    for lab in sorted(p for p in LABS.glob("lab[0-9]*") if p.is_dir()):
        dst = out / "labs" / lab.name
        _copytree(lab, dst)
        for p in dst.glob("*.ipynb"):
            p.unlink()
        if edition == "learner":
            for name in INSTRUCTOR_ONLY:
                (dst / name).unlink(missing_ok=True)
        for nb in _pages(lab, "*.ipynb"):
            is_solution = bool(_SOLUTION_NB.search(nb.stem))
            if is_solution and edition == "learner":
                continue
            stage_notebook(nb, dst / nb.name, f"labs/{lab.name}/{nb.name}", "lab", edition)
            (lab_solution_docs if is_solution else lab_docs).append(f"labs/{lab.name}/{nb.stem}")

    if edition == "instructor" and _write_lab_solutions(out):
        lab_solution_docs.append("labs/solutions")

    # 5. generated course map on the start page, TOC, config, widget fonts
    _write_course_map(out, course_docs, lab_docs)
    toc = build_toc(out, course_docs, lab_docs, glossary, instructor_docs, lab_solution_docs,
                    appendix_docs, final_docs)
    (out / "_toc.yml").write_text(yaml.safe_dump(toc, sort_keys=False), encoding="utf-8")
    write_config(out, edition, preview)
    docs = toc_docs(toc)
    stage_widget_fonts(out, docs)
    return {"edition": edition, "pages": len(docs), "course": len(course_docs),
            "labs": len(lab_docs)}


def _write_lab_solutions(out):
    """Instructor edition: one page with every lab's reference solution and hidden checks."""
    labs = sorted(p for p in (out / "labs").glob("lab[0-9]*") if (p / "solution.py").exists())
    if not labs:
        return False
    lines = ["# Lab solutions and hidden checks", "",
             "The reference solution of each lab (`labNN_*/solution.py`) and the checks that run "
             "only at grading (`hidden.py`). The learner edition of this site and the student "
             "edition of the labs (`python -m vmotion_labs.grading.studentize`) leave both out.",
             ""]
    for lab in labs:
        meta = yaml.safe_load((lab / "lab.yaml").read_text()) if (lab / "lab.yaml").exists() else {}
        lines += [f"## {lab.name.split('_')[0]}: {meta.get('title', lab.name)}", ""]
        for name, caption in (("solution.py", "Reference solution"),
                              ("hidden.py", "Hidden checks")):
            if (lab / name).exists():
                lines += [f"```{{literalinclude}} {lab.name}/{name}", ":language: python",
                          f":caption: {caption}: labs/{lab.name}/{name}", "```", ""]
    (out / "labs" / "solutions.md").write_text("\n".join(lines), encoding="utf-8")
    return True


_TIME = re.compile(r"Time to learn:?\**\s*(\d+)\s*minutes", re.I)


def _nb_facts(path):
    """(title, minutes or None) from a staged notebook's first heading and 'Time to learn'."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    text = "\n".join(_src(c) for c in nb.get("cells", []) if c.get("cell_type") == "markdown")
    h1 = re.search(r"^# (.+)$", text, re.M)
    t = _TIME.search(text)
    return (h1.group(1).strip() if h1 else path.stem), (int(t.group(1)) if t else None)


def _write_course_map(out, course_docs, lab_docs):
    rows, total = [], 0
    for kind, docs in (("Module", course_docs), ("Lab", lab_docs)):
        for d in docs:
            title, minutes = _nb_facts(out / f"{d}.ipynb")
            if kind == "Module":
                total += minutes or 0
            when = f"{minutes} min" if minutes else "–"
            rows.append(f"| {kind} | {{doc}}`{title.replace('`', '')} </{d}>` | {when} |")
    if rows:
        text = (f"The course has {len(course_docs)} modules, about **{total / 60:.1f} hours** "
                "of reading, running and exercises by their own *Time to learn* lines, and "
                f"{len(lab_docs)} graded labs. Work through the modules in order; each one says "
                "what it builds on and which lab goes with it.\n\n"
                "| | Page | Time to learn |\n|---|---|---|\n" + "\n".join(rows) + "\n")
    else:
        text = "No course modules or labs were found when this site was built.\n"
    intro = out / "intro.md"
    intro.write_text(intro.read_text(encoding="utf-8").replace("<!-- course-map -->", text),
                     encoding="utf-8")


def build_toc(out, course, labs, glossary, instructor, lab_solutions, appendices=(), final=()):
    """Table of contents from the staged files: start, course, labs, final assessment,
    appendices, reference, instructors."""
    # the API module pages hang below api/index through autosummary's own toctree
    known = {"cli": "md", "api/index": "rst", "scenario-format": "md", "rules": "md"}
    ref = [f"reference/{doc}" for doc, ext in known.items()
           if (out / "reference" / f"{doc}.{ext}").exists()]
    ref += [_doc(p, out) for p in _pages(out / "reference", "*.md", "*.ipynb")
            if p.stem not in known]
    about = [_doc(p, out) for p in _pages(out, "*.md", "*.ipynb")
             if p.stem not in _INTRO_PAGES and p.name not in _BOOK_SKIP]
    sections = (("Course", course), ("Labs", labs), ("Final assessment", final),
                ("Appendices", appendices), ("Reference", ref + list(glossary)), ("About", about),
                ("For instructors", list(instructor) + list(lab_solutions)))
    parts = [{"caption": caption, "chapters": [{"file": d} for d in docs]}
             for caption, docs in sections if docs]
    return {"format": "jb-book", "root": "intro", "parts": parts}


def toc_docs(toc):
    """Every document of ``toc`` (a parsed ``_toc.yml``), root first, in reading order."""
    docs = [toc["root"]]

    def walk(entries):
        for e in entries:
            docs.append(e["file"])
            walk(e.get("sections", []))
    for part in toc["parts"]:
        walk(part["chapters"])
    return docs


def write_config(out, edition, preview=False):
    cfg = yaml.safe_load((BOOK / "_config.yml").read_text(encoding="utf-8"))
    if preview:  # show failing cells on the page instead of stopping (never used by tests)
        cfg["execute"]["allow_errors"] = True
        cfg["execute"]["raise_on_error"] = False
        cfg["sphinx"]["config"]["nb_execution_raise_on_error"] = False
    sph = cfg.setdefault("sphinx", {}).setdefault("config", {})
    sph["hide_solutions"] = edition == "learner"
    sph["vmotion_edition"] = edition
    sph["html_extra_path"] = ["_extra"]
    if edition == "instructor":
        cfg["title"] += " (instructor edition)"  # shown above the navigation on every page
        intro = out / "intro.md"
        text = intro.read_text(encoding="utf-8")
        head, rest = text.split("\n", 1)
        intro.write_text(head + "\n\n" + _INSTRUCTOR_NOTE + rest, encoding="utf-8")
    (out / "_config.yml").write_text(yaml.safe_dump(cfg, sort_keys=False), encoding="utf-8")


def stage_widget_fonts(out, docs):
    """Put the widget icon fonts where the widget manager looks for them.

    The html-manager bundle resolves its FontAwesome files relative to the page
    (``<page folder>/@jupyter-widgets/html-manager/dist/<hash>.woff2``, or one level up), so
    each folder holding a page gets a copy via ``html_extra_path``. Without it, a
    widget with an icon logs a 404 on the console.
    """
    dist = BOOK / "node_modules" / "@jupyter-widgets" / "html-manager" / "dist"
    fonts = [p for p in dist.iterdir() if p.suffix in _FONT_SUFFIXES]
    if not fonts:
        raise SystemExit(f"assemble: no widget fonts in {dist}; run `npm ci` in book/")
    if (out / "_static").exists():
        raise SystemExit("assemble: the book must not have a _static/ folder (see _config.yml)")
    for folder in sorted({str(Path(d).parent) for d in docs}):
        # two places: the base and the controls bundles compute their public path differently
        for sub in ("@jupyter-widgets", "@jupyter-widgets/html-manager/dist"):
            target = out / "_extra" / folder / sub
            target.mkdir(parents=True, exist_ok=True)
            for f in fonts:
                shutil.copy2(f, target / f.name)


if __name__ == "__main__":
    import argparse

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--edition", choices=EDITIONS, default="learner")
    ap.add_argument("out", type=Path)
    a = ap.parse_args()
    print(stage(a.edition, a.out))
