"""The book's static-widget transform (book/_ext/static_widgets.py) on hand-made notebook doctrees.

The doctrees mimic what myst-nb produces for a code cell's outputs (a ``cell_code_output``
container holding one ``mime_bundle`` per display, one child container per mime type); the
quiz's text version comes from the real ``Quiz.to_html``. The built site is checked in
tests/book/test_book_build.py and tests/browser/test_book_site.py.
"""

from __future__ import annotations

import sys
from pathlib import Path

from docutils import nodes
from docutils.frontend import get_default_settings
from docutils.parsers.rst import Parser
from docutils.utils import new_document

from vmotion_core.widgets.quiz import Question, Quiz

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "book" / "_ext"))

import static_widgets as sw  # noqa: E402


def _widget():
    """A saved widget view as myst-nb parses it: widget-view+json plus text/plain."""
    b = nodes.container(nb_element="mime_bundle")
    for mime, node in ((sw.WIDGET_VIEW, nodes.raw("", '<script type="x">{}</script>',
                                                  format="html")),
                       ("text/plain", nodes.literal_block("VBox()", "VBox()"))):
        child = nodes.container(mime_type=mime)
        child += node
        b += child
    return b


def _html(text):
    b = nodes.container(nb_element="mime_bundle")
    child = nodes.container(mime_type="text/html")
    child += nodes.raw("", text, format="html")
    b += child
    return b


def _doc(*cells):
    doc = new_document("<test>", get_default_settings(Parser))
    for outputs in cells:
        cell = nodes.container(nb_element="cell_code", classes=["cell"])
        out = nodes.container(nb_element="cell_code_output", classes=["cell_output"])
        for o in outputs:
            out += o
        cell += out
        doc += cell
    return doc


def _quiz_html():
    quiz = Quiz([Question("Which host resumes the VM?", ["source", "destination"], answer=1)])
    return quiz.to_html()


def _views(doc):
    return [n for n in doc.findall(nodes.container) if n.get("mime_type") == sw.WIDGET_VIEW]


def test_quiz_cell_loses_its_buttons_and_shows_the_open_text_version():
    doc = _doc([_widget(), _html(_quiz_html())])
    assert sw.make_static(doc) == (1, 0)
    assert _views(doc) == []
    html = "".join(r.astext() for r in doc.findall(nodes.raw))
    assert '<details class="vmotion-quiz-static" open>' in html
    assert "buttons above" not in html                      # the JupyterLab sentence is gone
    assert "text version of the quiz" in html
    assert html.count("<details") == 2                      # the answer itself stays collapsed
    assert "Answer to question 1" in html


def test_quiz_sentence_marker_matches_the_quiz_html():
    # the transform finds the JupyterLab-only sentence by its class; the quiz must keep emitting it
    page = _quiz_html()
    assert sw._QUIZ_LIVE_NOTE.search(page)
    assert sw.QUIZ_MARKER in page
    assert sw.static_quiz_html(page) != page


def test_other_widgets_are_framed_with_a_live_only_note():
    text_cell = [_html("<p>plain html</p>")]
    doc = _doc([_widget()], text_cell, [_widget(), _widget()])
    assert sw.make_static(doc) == (0, 3)
    frames = [n for n in doc.findall(nodes.container) if sw.LIVE_WIDGET_CLASS in n["classes"]]
    assert len(frames) == 3
    for frame in frames:
        note, bundle = frame.children
        assert sw.LIVE_NOTE_CLASS in note["classes"]
        assert note.astext().startswith("Live in JupyterLab only.")
        assert "bash scripts/course.sh" in note.astext()
        assert bundle.get("nb_element") == "mime_bundle"   # still found by myst-nb's mime select
    assert len(_views(doc)) == 3


def test_quiz_html_without_a_widget_is_left_as_it_is():
    page = _quiz_html()
    doc = _doc([_html(page)])
    assert sw.make_static(doc) == (0, 0)
    assert next(doc.findall(nodes.raw)).astext() == page
