"""The built book site in Debian Chromium: every page, offline, figures, navigation, search.

The site is served from 127.0.0.1 by a throw-away HTTP server; every request to any other host
is aborted and recorded, and any console error or uncaught page error fails the test. The learner
build in ``artifacts/book/learner`` (made by tests/book) is reused when it was built from the
current sources, otherwise it is built here; ``BOOK_SITE_DIR=path/to/html`` tests an existing
build instead. Screenshots of the key pages go to
``artifacts/screenshots/book/``.
"""

from __future__ import annotations

import functools
import http.server
import os
import re
import sys
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "book" / "_scripts"))

import build as book_build  # noqa: E402

pytestmark = pytest.mark.browser
SHOTS = ROOT / "artifacts" / "screenshots" / "book"


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def site(chromium_browser):
    """(html folder, base URL) of the learner edition, served on 127.0.0.1."""
    if os.environ.get("BOOK_SITE_DIR"):  # test a site built elsewhere (e.g. a CI artefact)
        html = Path(os.environ["BOOK_SITE_DIR"]).resolve()
    else:
        html = Path(book_build.ensure_built("learner", ROOT / "artifacts" / "book" / "learner")
                    ["html"])
    httpd = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(_Quiet, directory=str(html)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield html, f"http://127.0.0.1:{httpd.server_address[1]}/"
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.fixture(scope="module")
def chromium(site, chromium_browser):
    return chromium_browser


class _Watch:
    """A page that aborts off-site requests and records them, console errors and 404s."""

    def __init__(self, browser, base, width=1280, height=900):
        self.base = base
        self.page = browser.new_page(viewport={"width": width, "height": height})
        self.external, self.errors, self.failed = [], [], []
        self.page.route("**/*", self._route)
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        self.page.on("pageerror", lambda e: self.errors.append(f"uncaught: {e}"))
        self.page.on("response", lambda r: r.status >= 400 and self.failed.append(
            f"{r.status} {r.url}"))

    def _route(self, route):
        url = route.request.url
        if url.startswith((self.base, "data:", "blob:", "about:")):
            route.continue_()
        else:
            self.external.append(url)
            route.abort()

    def open(self, rel):
        self.page.goto(self.base + rel, wait_until="networkidle")
        return self.page

    def problems(self):
        return {k: v for k, v in (("external requests", self.external),
                                  ("console errors", self.errors),
                                  ("failed requests", self.failed)) if v}


@pytest.fixture
def watch(chromium, site):
    w = _Watch(chromium, site[1])
    yield w
    w.page.close()


def _kind(rel):
    if rel.startswith("course/instructor/"):
        return "instructor"
    return rel.split("/", 1)[0] if "/" in rel else "root"


def _check_page(page, rel, html_source):
    """Per-page checks; return a list of problems (empty when the page is fine)."""
    problems = []
    try:  # widget images arrive as blob: URLs after the widget manager has run
        page.wait_for_function("() => Array.from(document.images).every(i => i.complete)",
                               timeout=10000)
    except Exception:  # noqa: BLE001 -- the incomplete ones are reported just below
        pass
    broken = page.evaluate("""() => Array.from(document.images)
        .filter(i => !i.complete || i.naturalWidth === 0).map(i => i.src)""")
    if broken:
        problems.append(f"images not loaded: {broken}")
    n_views = html_source.count('type="application/vnd.jupyter.widget-view+json"')
    if n_views:
        try:  # the widget manager renders saved widget state into .jupyter-widgets elements
            page.wait_for_selector(".jupyter-widgets", state="attached", timeout=15000)
        except Exception:  # noqa: BLE001 -- reported as a page problem below
            problems.append(f"{n_views} widget views but no widget rendered")
    if 'class="math' in html_source:
        try:
            page.wait_for_selector("mjx-container", state="attached", timeout=15000)
        except Exception:  # noqa: BLE001
            problems.append("math on the page but MathJax rendered nothing")
    return problems


def test_every_page_loads_offline_without_errors(site, watch):
    html, _ = site
    pages = book_build.content_pages(html) + ["search.html", "genindex.html"]
    report = {}
    for rel in pages:
        before = {k: len(v) for k, v in (("e", watch.external), ("c", watch.errors),
                                         ("f", watch.failed))}
        page = watch.open(rel)
        problems = _check_page(page, rel, (html / rel).read_text(encoding="utf-8"))
        problems += [f"off-site request {u}" for u in watch.external[before["e"]:]]
        problems += [f"console error: {t}" for t in watch.errors[before["c"]:]]
        problems += [f"failed request: {t}" for t in watch.failed[before["f"]:]]
        if problems:
            report[rel] = problems
    assert not report, "\n".join(f"{rel}: {p}" for rel, ps in report.items() for p in ps)
    assert len(pages) >= 5


_FIGURE_CALL = re.compile(r"\b(plot_\w+|precopy_animation)\s*\(")


def _notebook_code(rel):
    """Code of the repository notebook behind page ``rel`` (course/... or labs/...)."""
    import json
    nb = ROOT / Path(rel).with_suffix(".ipynb")
    if not nb.exists():
        return ""
    cells = json.loads(nb.read_text(encoding="utf-8"))["cells"]
    return "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")


def test_figures_and_animations_are_on_the_pages(site, watch):
    html, _ = site
    pages = [p for p in book_build.content_pages(html) if p.startswith(("course/", "labs/"))]
    if not any(re.match(r"course/\d\d-", p) for p in pages):
        pytest.fail("the site has no course modules (course/NN-*.ipynb)")
    missing, animations, figures = [], 0, 0
    for rel in pages:
        page = watch.open(rel)
        n_img = page.locator(".cell_output img, .output img").count()
        n_anim = page.locator(".cell_output .animation, .output .animation").count()
        figures, animations = figures + n_img, animations + n_anim
        # a notebook that draws a figure must show it on its page
        if _FIGURE_CALL.search(_notebook_code(rel)) and n_img + n_anim == 0:
            missing.append(rel)
    assert not missing, f"pages whose notebook draws a figure but show none: {missing}"
    assert figures >= 5, f"only {figures} figures on the whole site"
    assert animations >= 1, "no step-through animation on any course page"
    assert not watch.problems(), watch.problems()


def test_navigation_moves_through_the_book(site, watch):
    page = watch.open("intro.html")
    # the sidebar lists every part of the book
    captions = [c.strip() for c in page.locator("nav.bd-docs-nav p.caption").all_inner_texts()]
    assert "Reference" in captions, captions
    # "next" at the bottom of the start page leads to the first page of the book
    next_link = page.locator("a.right-next")
    target = next_link.get_attribute("href")
    next_link.click()
    page.wait_for_load_state("networkidle")
    assert page.url.endswith(target.split("#")[0]), (page.url, target)
    # the sidebar link to the rule catalogue works from a nested page
    page.locator("nav.bd-docs-nav a", has_text="Compatibility rule catalogue").first.click()
    page.wait_for_load_state("networkidle")
    assert page.url.endswith("reference/rules.html")
    assert page.locator("h1").first.inner_text().startswith("Compatibility rule catalogue")
    # and "previous" goes back one page in book order
    page.locator("a.left-prev").click()
    page.wait_for_load_state("networkidle")
    assert not page.url.endswith("reference/rules.html")
    assert not watch.problems(), watch.problems()


def test_search_finds_pages(site, watch):
    page = watch.open("intro.html")
    page.keyboard.press("Control+k")  # the theme's search dialog
    box = page.locator("#pst-search-dialog input[name=q]")
    box.wait_for(state="visible", timeout=5000)
    box.fill("VMotionNotConfigured")
    box.press("Enter")
    page.wait_for_url(re.compile(r"search\.html\?q="), timeout=10000)
    results = page.locator("#search-results ul.search li")
    results.first.wait_for(timeout=15000)
    links = results.locator("a").evaluate_all("els => els.map(e => e.getAttribute('href'))")
    assert any("reference/rules" in h for h in links), links
    results.locator("a").first.click()
    page.wait_for_load_state("networkidle")
    assert "search.html" not in page.url
    assert not watch.problems(), watch.problems()


def test_screenshots_of_key_pages(site, chromium):
    html, base = site
    pages = book_build.content_pages(html)
    wanted = {"start": "intro.html", "rules": "reference/rules.html", "cli": "reference/cli.html",
              "api": "reference/api/index.html"}
    course = [p for p in pages if re.match(r"course/0[1-9]-", p)]
    labs = [p for p in pages if p.startswith("labs/")]
    if course:
        wanted["course-module"] = course[min(1, len(course) - 1)]
    if labs:
        wanted["lab"] = labs[0]
    SHOTS.mkdir(parents=True, exist_ok=True)
    w = _Watch(chromium, base, width=1280, height=1000)
    try:
        for name, rel in wanted.items():
            page = w.open(rel)
            page.wait_for_timeout(300)  # let MathJax and the widget manager settle
            out = SHOTS / f"{name}.png"
            page.screenshot(path=str(out), full_page=False)
            assert out.stat().st_size > 10_000, f"{out} looks empty"
        # close-ups: the first figure of the module, a step-through animation, a saved widget
        for name, selector in (("course-figure", ".cell_output img"),
                               ("course-animation", ".cell_output .animation"),
                               ("course-widget", ".cell_output .jupyter-widgets")):
            for rel in course:
                page = w.open(rel)
                target = page.locator(selector).first
                if page.locator(selector).count():
                    target.scroll_into_view_if_needed()
                    page.wait_for_timeout(300)
                    page.screenshot(path=str(SHOTS / f"{name}.png"))
                    break
        assert not w.problems(), w.problems()
    finally:
        w.page.close()
    assert {"course-module", "lab"} <= set(wanted), f"missing course or lab page: {wanted}"


def test_static_pages_are_honest_about_widgets_and_wrap_output(site, watch):
    """Quizzes show their text version (no dead buttons); each other saved widget is rendered
    under a visible "Live in JupyterLab only" note; long printed lines wrap on lab pages."""
    html, _ = site
    pages = book_build.content_pages(html)
    course = [p for p in pages if re.match(r"course/\d\d-", p)]
    SHOTS.mkdir(parents=True, exist_ok=True)
    quizzes = live = 0
    for rel in course:
        page = watch.open(rel)
        quiz = page.locator("details.vmotion-quiz-static[open]")
        if quiz.count():
            quizzes += 1
            assert quiz.first.locator("summary").first.is_visible()
            assert quiz.first.locator("ol > li").first.is_visible(), f"{rel}: quiz text hidden"
        # the quiz's ToggleButtons would render from the saved state if its view were kept
        assert page.locator(".widget-toggle-buttons").count() == 0, f"{rel}: dead quiz buttons"
        frames = page.locator(".vmotion-live-widget")
        for i in range(frames.count()):
            frame = frames.nth(i)
            frame.locator(".jupyter-widgets").first.wait_for(state="attached", timeout=15000)
            note = frame.locator(".vmotion-live-only")
            assert note.is_visible() and note.inner_text().startswith("Live in JupyterLab only")
            box_note, box_widget = note.bounding_box(), \
                frame.locator(".jupyter-widgets").first.bounding_box()
            assert box_note["y"] + box_note["height"] <= box_widget["y"] + 1, f"{rel}: note not above"
            if not live:  # one close-up of a labelled widget
                frame.evaluate("e => window.scrollTo(0, e.getBoundingClientRect().top"
                               " + window.scrollY - 90)")
                page.wait_for_timeout(300)
                page.screenshot(path=str(SHOTS / "course-live-widget.png"))
            live += 1
    assert quizzes >= 1 and live >= 1, (quizzes, live)
    labs = [p for p in pages if p.startswith("labs/")]
    assert labs, "no lab pages"
    for rel in labs:
        page = watch.open(rel)
        pres = page.locator(".cell_output pre")
        assert pres.count(), f"{rel}: no printed output"
        cut = page.evaluate("""() => Array.from(document.querySelectorAll('.cell_output pre'))
            .filter(p => p.scrollWidth > p.clientWidth + 1).map(p => p.innerText.slice(0, 60))""")
        assert not cut, f"{rel}: output lines run off the column: {cut}"
    page = watch.open(labs[0])
    page.locator(".cell_output pre").first.evaluate(
        "e => window.scrollTo(0, e.getBoundingClientRect().top + window.scrollY - 300)")
    page.wait_for_timeout(300)
    page.screenshot(path=str(SHOTS / "lab-output.png"))
    assert not watch.problems(), watch.problems()
