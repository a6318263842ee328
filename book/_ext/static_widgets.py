"""Sphinx extension: make saved ipywidgets honest on the static site. Not public.

A built page has no Python kernel. The widget manager still draws every saved widget view from
the embedded widget state, so the controls look alive (sliders move, buttons press) but no
Python callback runs and nothing updates. This transform, which runs on each notebook's doctree
right after myst-nb has parsed it, changes two things:

* **Quiz cells** (a cell whose output holds the quiz's text version, ``<details
  class="vmotion-quiz-static">`` from ``vmotion_core.widgets.quiz``): the widget view of the
  option and *Check* buttons is dropped, and the text version is shown open (questions and
  options visible, each answer still collapsed) with its JupyterLab-only sentence replaced by one
  that is true on the static page. A quiz that looks clickable but never answers is worse than a
  plain question list.
* **Every other widget view** (explorer, wizard, network view) stays, as a preview of what
  JupyterLab shows, inside a framed block that starts with a "Live in JupyterLab only" note. The
  notebooks follow each live widget with its static stand-in (figures, tables), so the page
  keeps the content; dropping the preview instead would also hide what the tool looks like.

JupyterLab is unaffected: only the book's doctree changes, not the notebooks or their outputs.
"""

import re

from docutils import nodes
from sphinx.transforms import SphinxTransform

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
QUIZ_MARKER = 'class="vmotion-quiz-static"'
# the sentence in the quiz's text version that is written for JupyterLab readers
_QUIZ_LIVE_NOTE = re.compile(r'<p class="vmotion-quiz-live-note">.*?</p>', re.S)
_QUIZ_STATIC_NOTE = ('<p class="vmotion-quiz-live-note">This is the text version of the quiz. '
                     "In JupyterLab the same questions have option buttons, a <em>Check</em> "
                     "button and feedback on each option; on this static page, open an answer "
                     "to compare it with yours.</p>")
LIVE_NOTE_CLASS = "vmotion-live-only"
LIVE_WIDGET_CLASS = "vmotion-live-widget"


def _is_bundle(node):
    return isinstance(node, nodes.container) and node.get("nb_element") == "mime_bundle"


def _html_raws(bundle):
    for child in bundle.children:
        if child.get("mime_type") == "text/html":
            yield from child.findall(nodes.raw)


def static_quiz_html(text):
    """The quiz's text version as the static page shows it: opened, with the static-site note."""
    text = text.replace(f"<details {QUIZ_MARKER}>", f"<details {QUIZ_MARKER} open>", 1)
    return _QUIZ_LIVE_NOTE.sub(lambda _m: _QUIZ_STATIC_NOTE, text, count=1)


def _live_note():
    para = nodes.paragraph()
    para += nodes.strong(text="Live in JupyterLab only.")
    para += nodes.Text(" A saved snapshot of the widget: its controls may move here, but nothing "
                       "is recalculated, because a static page has no Python behind it. Use the "
                       "static figures and tables that follow, or run ")
    para += nodes.literal(text="bash scripts/course.sh")
    para += nodes.Text(" and open this notebook in JupyterLab to use it live.")
    note = nodes.container(classes=[LIVE_NOTE_CLASS])
    note += para
    return note


def make_static(document):
    """Apply the two changes described in the module docstring to a parsed notebook doctree.

    Returns ``(quiz_cells, labelled_widgets)``, the number of quiz cells changed and of widget
    views framed with the note.
    """
    quiz_cells = labelled = 0
    outputs = [n for n in document.findall(nodes.container)
               if n.get("nb_element") == "cell_code_output"]
    for output in outputs:
        bundles = list(output.findall(_is_bundle))
        widgets = [b for b in bundles if any(c.get("mime_type") == WIDGET_VIEW for c in b.children)]
        if not widgets:
            continue
        quizzes = [b for b in bundles if any(QUIZ_MARKER in r.astext() for r in _html_raws(b))]
        if quizzes:
            quiz_cells += 1
            for bundle in widgets:
                bundle.parent.remove(bundle)
            for bundle in quizzes:
                for raw in list(_html_raws(bundle)):
                    raw.replace_self(nodes.raw("", static_quiz_html(raw.astext()), format="html"))
            continue
        for bundle in widgets:
            labelled += 1
            frame = nodes.container(classes=[LIVE_WIDGET_CLASS])
            bundle.replace_self(frame)
            frame += _live_note()
            frame += bundle
    return quiz_cells, labelled


class StaticWidgets(SphinxTransform):
    """Drop quiz widget views and label every other widget view "Live in JupyterLab only"."""

    default_priority = 500

    def apply(self):
        make_static(self.document)


def setup(app):
    app.add_transform(StaticWidgets)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
