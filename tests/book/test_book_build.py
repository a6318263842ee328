"""Build the book site (both editions) the way ``scripts/book.sh`` does, and check what it holds.

The build needs npm (the widget manager, RequireJS and MathJax are vendored from the npm
registry): without npm these tests fail with that message, they do not skip. The learner build
goes to ``artifacts/book/learner`` where the browser tests (tests/browser/test_book_site.py) pick
it up; build times are written to ``artifacts/book/build-times.json``.
"""

from __future__ import annotations

import html as html_lib
import json
import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "book" / "_scripts"))

import assemble  # noqa: E402
import build as book_build  # noqa: E402

pytestmark = pytest.mark.book
ARTIFACTS = ROOT / "artifacts" / "book"
CDN = re.compile(r"(cdn\.jsdelivr\.net|cdnjs\.cloudflare\.com|unpkg\.com|googleapis\.com|"
                 r"mathjax\.org|thebe|binder)", re.I)
# an attribute that makes the browser fetch something: src=, <link href=> (not <a href>)
FETCH_ATTR = re.compile(r"""<(?:script|img|iframe|source|video|audio)\b[^>]*\bsrc=["']([^"']+)|"""
                        r"""<link\b[^>]*\bhref=["']([^"']+)""", re.I)


def _course_notebooks():
    return sorted((ROOT / "course").glob("[0-9][0-9]-*.ipynb"))


def _lab_notebooks():
    return sorted(p for p in (ROOT / "labs").glob("lab[0-9]*/*.ipynb"))


def _write_times(edition, summary):
    path = ARTIFACTS / "build-times.json"
    times = json.loads(path.read_text()) if path.exists() else {}
    times[edition] = {k: summary[k] for k in ("pages", "jupyter_book_s", "total_s")}
    path.write_text(json.dumps(times, indent=2) + "\n")


def _build(edition):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    # always a fresh build (raises BuildError with the reason); the browser tests reuse it
    summary = book_build.ensure_built(edition, ARTIFACTS / edition, force=True)
    _write_times(edition, summary)
    print(f"\n{edition} edition: {summary['pages']} pages in {summary['total_s']} s")
    return summary


@pytest.fixture(scope="module")
def learner():
    summary = _build("learner")
    return Path(summary["html"]), summary


@pytest.fixture(scope="module")
def instructor():
    summary = _build("instructor")
    return Path(summary["html"]), summary


def _read(html_dir, doc):
    return (html_dir / f"{doc}.html").read_text(encoding="utf-8")


def _text(html_source):
    """Visible text of a page (tags removed, entities decoded), for phrase checks."""
    return html_lib.unescape(re.sub(r"<[^>]+>", "", html_source))


def test_npm_is_required_and_reported(monkeypatch):
    monkeypatch.setattr(book_build.shutil, "which", lambda name: None)
    with pytest.raises(book_build.BuildError, match="npm is not installed"):
        book_build.ensure_node_modules()


def test_learner_site_has_every_page(learner):
    html, summary = learner
    pages = set(book_build.content_pages(html))
    assert "intro.html" in pages
    assert (html / "index.html").exists() and (html / "search.html").exists()
    for nb in _course_notebooks():
        assert f"course/{nb.stem}.html" in pages, f"{nb.name} is not on the site"
    for nb in _lab_notebooks():
        doc = f"labs/{nb.parent.name}/{nb.stem}.html"
        if re.search("solution", nb.stem, re.I):
            assert doc not in pages, f"lab solution {nb.name} is in the learner edition"
        else:
            assert doc in pages, f"{nb.relative_to(ROOT)} is not on the site"
    for ref in ("reference/cli.html", "reference/api/index.html", "reference/rules.html"):
        assert ref in pages, f"{ref} missing"
    assert summary["pages"] == len(pages)


def test_start_page_says_who_how_long_and_how_to_run(learner):
    page = _read(learner[0], "intro")
    text = _text(page)
    for needle in ("Who it is for", "How long it takes", "bash scripts/course.sh",
                   "bash scripts/test.sh", "bash scripts/book.sh"):
        assert needle in text
    for nb in _course_notebooks():
        assert f"course/{nb.stem}.html" in page, f"start page does not list {nb.name}"


def test_rule_catalogue_is_generated_from_the_rules(learner):
    from vmotion_core.compat import RULES

    text = _read(learner[0], "reference/rules")
    rules = RULES.items() if isinstance(RULES, dict) else [(r.rule_id, r) for r in RULES]
    assert len(rules) > 0
    for key, rule in rules:
        assert f'id="rule-{str(key).lower()}"' in text, f"rule {key} has no section"
        assert rule.code in text
    assert f"<strong>{len(rules)} rules</strong>" in text


def test_cli_reference_covers_every_subcommand(learner):
    from vmotion_core.cli import build_parser

    parser = build_parser()
    subs = next(a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction")
    assert subs.choices, "vmotion has no sub-commands yet"
    text = _read(learner[0], "reference/cli")
    for name, sub in subs.choices.items():
        assert f"vmotion {name}" in text
        for action in sub._actions:
            for flag in action.option_strings:
                assert flag in text, f"{name} {flag} not documented"


def test_api_reference_covers_the_public_names(learner):
    import vmotion_core

    html = learner[0]
    text = "".join(p.read_text(encoding="utf-8") for p in (html / "reference" / "api").glob("*.html"))
    for name in vmotion_core.__all__:
        if not name.startswith("__"):
            assert re.search(rf'id="vmotion_core(\.\w+)*\.{re.escape(name)}"', text), \
                f"vmotion_core.{name} is not documented on the API pages"


def test_no_page_fetches_from_another_host(learner):
    html = learner[0]
    for page in sorted(html.rglob("*.html")):
        text = page.read_text(encoding="utf-8")
        for m in FETCH_ATTR.finditer(text):
            url = m.group(1) or m.group(2)
            assert not re.match(r"(https?:)?//", url), f"{page.relative_to(html)} loads {url}"
        for script in re.findall(r"<script\b[^>]*>(.*?)</script>", text, re.S):
            assert not CDN.search(script[:20000]) or "widget-state" in script, \
                f"{page.relative_to(html)}: inline script mentions a CDN"
    static = html / "_static"
    assert (static / "require.js").exists()
    assert (static / "widgets" / "embed-amd.js").exists()
    assert (static / "mathjax" / "tex-mml-chtml.js").exists()
    assert list((html / "@jupyter-widgets" / "html-manager" / "dist").glob("*.woff2"))


def test_widget_js_is_loaded_once(learner):
    html = learner[0]
    pages = [p for p in html.rglob("*.html") if "widget-state+json" in p.read_text(encoding="utf-8")]
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert text.count("embed-amd.js") == 1, f"{page.name}: widget manager loaded twice"
        assert 'data-jupyter-widgets-cdn-only="true"' in text


def test_learner_edition_hides_solutions(learner):
    html = learner[0]
    for nb in _course_notebooks():
        text = _read(html, f"course/{nb.stem}")
        assert 'class="solution' not in text, f"{nb.name}: a solution is visible to learners"
    for nb in _lab_notebooks():
        if re.search("solution", nb.stem, re.I):
            continue
        text = _read(html, f"labs/{nb.parent.name}/{nb.stem}")
        assert "### BEGIN SOLUTION" not in text, f"{nb.name}: lab solution code is visible"
    assert not list(html.rglob("instructor/guide*.html"))
    assert not (html / "labs" / "solutions.html").exists()
    staged = book_build.BOOK.parent / "artifacts" / "book" / "learner" / "src" / "labs"
    for name in assemble.INSTRUCTOR_ONLY:
        assert not list(staged.glob(f"*/{name}")), f"{name} was staged for learners"


def test_prediction_checks_are_not_on_the_pages(learner):
    # issue 11 point 7: the asserts that check a "predict, then run" cell live in cells tagged
    # remove-cell; they run in the build but are not shown
    html = learner[0]
    for nb in _course_notebooks():
        text = _read(html, f"course/{nb.stem}")
        assert "Checks (hidden on the website)" not in text, f"{nb.name} shows its checks"


def test_displayed_markdown_tables_render_as_tables(learner):
    # cells show findings with display(Markdown(table)); they must be <table>s, not '| a |' text
    text = _read(learner[0], "course/05-the-vmotion-network")
    assert "| severity | code |" not in _text(text)
    assert text.count("<table") >= 8


def test_instructor_edition_shows_solutions_and_guide(instructor, learner):
    html, summary = instructor
    pages = set(book_build.content_pages(html))
    assert summary["pages"] >= learner[1]["pages"]
    if (ROOT / "course" / "instructor" / "guide.md").exists():
        assert "course/instructor/guide.html" in pages
    with_solutions = [nb for nb in _course_notebooks() if "{solution" in nb.read_text()]
    for nb in with_solutions:
        assert 'class="solution' in _read(html, f"course/{nb.stem}"), f"{nb.name}: no solution"
    assert "Instructor edition" in _read(html, "intro")
    solved = sorted((ROOT / "labs").glob("lab[0-9]*/solution.py"))
    if solved:
        text = _text(_read(html, "labs/solutions"))
        for sol in solved:
            assert f"labs/{sol.parent.name}/solution.py" in text
        assert text.count("def solve") >= len(solved)


def test_gated_solutions_are_removed_for_learners(tmp_path):
    """The learner edition drops a {solution-start}...{solution-end} block entirely."""
    import subprocess

    src = tmp_path / "src"
    src.mkdir()
    (src / "_config.yml").write_text(
        "title: t\nexecute:\n  execute_notebooks: 'off'\nsphinx:\n  extra_extensions: "
        "[sphinx_exercise]\n  local_extensions:\n    edition: _ext\n  config:\n"
        "    hide_solutions: true\n")
    (src / "_toc.yml").write_text("format: jb-book\nroot: index\n")
    (src / "_ext").mkdir()
    (src / "_ext" / "edition.py").write_text((ROOT / "book" / "_ext" / "edition.py").read_text())
    (src / "index.md").write_text(
        "# T\n\n```{exercise} Count\n:label: ex1\n\nHow many?\n```\n\n"
        "```{solution-start} ex1\n```\n\nSECRET ANSWER\n\n```{solution-end}\n```\n\nAFTER\n")
    res = subprocess.run([str(Path(sys.executable).with_name("jupyter-book")), "build", str(src),
                          "--path-output", str(tmp_path), "-W", "-q"],
                         capture_output=True, text=True)
    assert res.returncode == 0, res.stdout[-2000:] + res.stderr[-2000:]
    text = (tmp_path / "_build" / "html" / "index.html").read_text()
    assert "How many?" in text and "AFTER" in text
    assert "SECRET ANSWER" not in text


_CELL_START = re.compile(r'<div class="cell[ "][^>]*>')
_VIEW = '<script type="application/vnd.jupyter.widget-view+json">'
# a saved widget view framed by book/_ext/static_widgets.py: note first, then the view
_FRAMED_VIEW = re.compile(r'<div class="vmotion-live-widget docutils container">\s*'
                          r'<div class="vmotion-live-only docutils container">\s*'
                          r"<p><strong>Live in JupyterLab only\.</strong>.*?</p>\s*</div>\s*"
                          + re.escape(_VIEW), re.S)


def test_saved_widgets_are_honest_on_static_pages(learner):
    html = learner[0]
    quizzes = framed = 0
    for rel in book_build.content_pages(html):
        if not rel.startswith(("course/", "labs/")):
            continue
        text = (html / rel).read_text(encoding="utf-8")
        for cell in _CELL_START.split(text)[1:]:
            if 'class="vmotion-quiz-static"' in cell:
                # the quiz's buttons would not answer here: only the text version, opened
                quizzes += 1
                assert _VIEW not in cell, f"{rel}: a quiz still shows its dead widget buttons"
                assert '<details class="vmotion-quiz-static" open>' in cell, rel
                assert "text version of the quiz" in cell and "buttons above" not in cell, rel
        n_views, n_framed = text.count(_VIEW), len(_FRAMED_VIEW.findall(text))
        assert n_views == n_framed, \
            f"{rel}: {n_views - n_framed} saved widget(s) without the 'Live in JupyterLab only' note"
        framed += n_framed
    assert quizzes >= len(_course_notebooks()) // 2, f"only {quizzes} quizzes on the site"
    assert framed >= 3, f"only {framed} labelled live widgets on the site"
