"""Self-check quizzes for the course notebooks: live option buttons plus a static text version.

A :class:`Quiz` holds :class:`Question` objects. In JupyterLab it shows one block per question
(prompt, one toggle button per option, a *Check* button and a feedback line that screen readers
announce). Everything works from the keyboard: Tab to an option, Space or Enter to choose it, Tab to
*Check*, Space or Enter to check. Under
the live widget it also shows the whole quiz as plain HTML with every answer inside a collapsed
``<details>`` block, because a text version is easier to read with a screen reader and because
widget callbacks do not run on the static website: there the book drops the button view and shows
this text version open (``book/_ext/static_widgets.py``).

The plain-Python state (``selected``, ``results``, ``attempts``) is what tests assert on;
``answer(q, option)`` does exactly what a click on an option and then on *Check* does.
"""

from __future__ import annotations

import html
import re
from dataclasses import asdict, dataclass, field

from ..errors import ConfigError

__all__ = ["Question", "Feedback", "Quiz"]

_LETTERS = "abcdefghijklmnopqrstuvwxyz"
_CODE = re.compile(r"`([^`]+)`")
_BOLD = re.compile(r"\*\*([^*]+)\*\*")
_ITALIC = re.compile(r"(?<![*\w])\*([^*\s][^*]*)\*(?![*\w])")


def _is_index(value, n):
    """True for an int (not a bool) in ``0..n-1``."""
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value < n


def _index(field, value, n, what="an option"):
    """``value`` if it is an index ``0..n-1``; otherwise a ConfigError naming ``field``."""
    if not _is_index(value, n):
        raise ConfigError(field, f"must be {what} index 0..{n - 1}, got {value!r}")
    return value


def _inline_html(text):
    """Escape ``text`` and turn the inline Markdown we allow (`code`, **bold**, *italic*) into HTML."""
    out = html.escape(text, quote=False)
    out = _CODE.sub(r"<code>\1</code>", out)
    out = _BOLD.sub(r"<strong>\1</strong>", out)
    return _ITALIC.sub(r"<em>\1</em>", out)


@dataclass(frozen=True)
class Question:
    """One multiple-choice question with exactly one right option.

    Parameters
    ----------
    prompt : str
        The question. Inline `code`, **bold** and *italic* are rendered.
    options : sequence of str
        At least two answer texts, shown in this order.
    answer : int
        Index of the right option.
    feedback : dict[int, str], optional
        Per-option feedback, shown when the learner checks that option. Options without an entry
        get a generic line. Feedback on a wrong option should nudge, not give the answer away.
    explain : str, optional
        Why the right answer is right; shown once it is found and in the static answer block.

    Examples
    --------
    >>> q = Question("Which host resumes the VM?", ["source", "destination"], answer=1,
    ...              feedback={0: "The source only stops it."})
    >>> q.options[q.answer]
    'destination'
    """

    prompt: str
    options: tuple[str, ...]
    answer: int
    feedback: dict = field(default_factory=dict)
    explain: str = ""

    def __post_init__(self):
        if not isinstance(self.prompt, str) or not self.prompt.strip():
            raise ConfigError("prompt", "must be a non-empty string")
        options = tuple(self.options) if not isinstance(self.options, str) else ()
        if len(options) < 2 or not all(isinstance(o, str) and o.strip() for o in options):
            raise ConfigError("options", f"need at least 2 non-empty strings, got {self.options!r}")
        if len(options) > len(_LETTERS):
            raise ConfigError("options", f"at most {len(_LETTERS)} options, got {len(options)}")
        object.__setattr__(self, "options", options)
        _index("answer", self.answer, len(options))
        feedback = dict(self.feedback or {})
        for key, text in feedback.items():
            if not _is_index(key, len(options)):
                raise ConfigError("feedback", f"keys must be option indexes 0..{len(options) - 1}, "
                                              f"got {key!r}")
            if not isinstance(text, str):
                raise ConfigError(f"feedback[{key}]", "must be a string")
        object.__setattr__(self, "feedback", feedback)
        if not isinstance(self.explain, str):
            raise ConfigError("explain", "must be a string")

    def check(self, option):
        """Return the :class:`Feedback` for choosing ``option`` (no state is changed).

        >>> Question("2 + 2?", ["3", "4"], answer=1).check(1).correct
        True
        """
        _index("option", option, len(self.options))
        correct = option == self.answer
        specific = self.feedback.get(option, "")
        if correct:
            parts = ["Correct.", specific, self.explain]
        else:
            parts = ["Not quite.", specific or "Have another look and try a different option."]
        return Feedback(option=option, correct=correct,
                        message=" ".join(p.strip() for p in parts if p.strip()))

    def to_dict(self):
        """JSON-safe form."""
        return {"prompt": self.prompt, "options": list(self.options), "answer": self.answer,
                "feedback": {str(k): v for k, v in self.feedback.items()},
                "explain": self.explain}


@dataclass(frozen=True)
class Feedback:
    """What the learner is told after checking one option."""

    option: int
    correct: bool
    message: str

    def to_dict(self):
        """JSON-safe form."""
        return asdict(self)


class Quiz:
    """A short self-check: questions with option buttons, *Check* buttons and per-option feedback.

    Parameters
    ----------
    questions : sequence of Question
        At least one question.
    title : str, optional
        Heading shown above the quiz.

    Examples
    --------
    >>> quiz = Quiz([Question("Which host resumes the VM?", ["source", "destination"], answer=1)])
    >>> quiz.answer(0, 0).correct, quiz.answer(0, 1).correct
    (False, True)
    >>> quiz.score, quiz.attempts
    ((1, 1), [2])
    >>> "<details>" in quiz.to_markdown()
    True
    """

    def __init__(self, questions, title="Self-check"):
        questions = list(questions)
        if not questions:
            raise ConfigError("questions", "need at least one Question")
        for i, q in enumerate(questions):
            if not isinstance(q, Question):
                raise ConfigError(f"questions[{i}]", f"must be a Question, got {type(q).__name__}")
        self.questions = tuple(questions)
        self.title = str(title)
        self._widget = None
        self._choices = []
        self._feedback_views = []
        self._score_view = None
        self.reset()

    # ----- plain-Python state -------------------------------------------------------------
    def _index(self, question):
        return _index("question", question, len(self.questions), what="a question")

    def select(self, question, option):
        """Choose ``option`` for ``question`` without checking it (like clicking an option)."""
        q = self._index(question)
        if option is not None:
            self.questions[q].check(option)   # validates the index
        if option != self.selected[q]:
            self.messages[q] = ""
        self.selected[q] = option
        if self._choices and self._choices[q].value != option:
            self._choices[q].value = option

    def check(self, question):
        """Check the selected option of ``question`` (like pressing *Check*); returns Feedback or None."""
        q = self._index(question)
        option = self.selected[q]
        if option is None:
            self.messages[q] = "Pick an option first."
            self._refresh(q)
            return None
        fb = self.questions[q].check(option)
        self.attempts[q] += 1
        self.results[q] = fb.correct
        self.messages[q] = fb.message
        self._refresh(q)
        return fb

    def answer(self, question, option):
        """Select ``option`` for ``question`` and check it; returns the :class:`Feedback`."""
        self.select(question, option)
        return self.check(question)

    @property
    def score(self):
        """Questions whose last check was right, out of all questions, as ``(right, total)``."""
        return sum(r is True for r in self.results), len(self.questions)

    def reset(self):
        """Clear every selection, result and message."""
        n = len(self.questions)
        self.selected = [None] * n   # option chosen (None = none yet)
        self.results = [None] * n    # None = not checked yet, else True/False
        self.attempts = [0] * n
        self.messages = [""] * n
        for q in range(n):
            if self._choices:
                self._choices[q].value = None
            self._refresh(q)

    # ----- live widget --------------------------------------------------------------------
    @property
    def widget(self):
        """The ipywidgets view, built on first use, with one block per question and a score line."""
        if self._widget is None:
            self._widget = self._build()
        return self._widget

    def _build(self):
        import ipywidgets as w

        blocks = [w.HTML(f"<h4>{_inline_html(self.title)}</h4>")]
        for q, question in enumerate(self.questions):
            # ToggleButtons, not RadioButtons: JupyterLab's command mode takes the arrow keys a
            # radio group needs, while each toggle button is reached with Tab and chosen with
            # Space or Enter (checked in JupyterLab 4 with Playwright)
            choice = w.ToggleButtons(
                options=[(f"{_LETTERS[i]}) {text}", i) for i, text in enumerate(question.options)],
                value=self.selected[q], tooltips=[f"option {_LETTERS[i]}" for i in
                                                  range(len(question.options))],
                layout=w.Layout(width="auto"), style={"button_width": "auto"})
            choice.observe(lambda change, q=q: self._on_select(q, change["new"]), names="value")
            button = w.Button(description="Check", tooltip=f"Check your answer to question {q + 1}",
                              layout=w.Layout(width="8em"))
            button.on_click(lambda _button, q=q: self.check(q))
            feedback = w.HTML(self._feedback_html(q))
            self._choices.append(choice)
            self._feedback_views.append(feedback)
            prompt = w.HTML(f"<p><strong>{q + 1}.</strong> {_inline_html(question.prompt)}</p>")
            blocks.append(w.VBox([prompt, choice, w.HBox([button, feedback])],
                                 layout=w.Layout(margin="0 0 1em 0")))
        self._score_view = w.HTML(self._score_html())
        blocks.append(self._score_view)
        return w.VBox(blocks)

    def _on_select(self, q, option):
        # a new choice makes the old feedback stale; the score keeps the last check until re-checked
        self.select(q, option)
        self._refresh(q)

    def _feedback_html(self, q):
        # role=status makes screen readers announce the new text; the mark is not colour-only
        result = self.results[q]
        mark = "" if not self.messages[q] or result is None else ("✓ " if result else "✗ ")
        return (f'<div role="status" aria-live="polite" style="margin-left:0.8em">'
                f"{mark}{_inline_html(self.messages[q])}</div>")

    def _score_html(self):
        right, total = self.score
        return f"<p>Score: {right} of {total} right.</p>"

    def _refresh(self, q):
        if self._feedback_views:
            self._feedback_views[q].value = self._feedback_html(q)
            self._score_view.value = self._score_html()

    # ----- static versions ----------------------------------------------------------------
    def to_markdown(self):
        """The quiz as Markdown: questions, lettered options, each answer in a collapsed block."""
        lines = [f"**{self.title}**", ""]
        for q, question in enumerate(self.questions):
            lines += [f"{q + 1}. {question.prompt}", ""]
            lines += [f"   {_LETTERS[i]}) {text}  " for i, text in enumerate(question.options)]
            lines += ["", f"   <details><summary>Answer to question {q + 1}</summary>", "",
                      f"   {self._answer_text(question)}", "", "   </details>", ""]
        return "\n".join(lines)

    def to_html(self):
        """The quiz as static HTML: collapsed as a whole, each answer collapsed again inside."""
        items = []
        for q, question in enumerate(self.questions):
            options = "".join(f"<li>{_LETTERS[i]}) {_inline_html(t)}</li>"
                              for i, t in enumerate(question.options))
            items.append(
                f"<li><p>{_inline_html(question.prompt)}</p>"
                f'<ul style="list-style:none">{options}</ul>'
                f"<details><summary>Answer to question {q + 1}</summary>"
                f"<p>{_inline_html(self._answer_text(question))}</p></details></li>")
        return ('<details class="vmotion-quiz-static">'
                f"<summary>{_inline_html(self.title)} as text, with answers "
                "(for the static website and screen readers)</summary>"
                # the book site swaps this sentence for one about the static page (its widget
                # view is dropped there): book/_ext/static_widgets.py looks for the class
                '<p class="vmotion-quiz-live-note">The buttons above need JupyterLab with a '
                "running kernel; this text version works anywhere, also on the static "
                "website.</p>"
                f"<ol>{''.join(items)}</ol></details>")

    @staticmethod
    def _answer_text(question):
        letter = _LETTERS[question.answer]
        text = f"{letter}) {question.options[question.answer]}."
        return f"{text} {question.explain}".strip()

    _repr_markdown_ = to_markdown
    _repr_html_ = to_html

    def _ipython_display_(self):
        from IPython.display import HTML, display

        display(self.widget)
        display(HTML(self.to_html()))

    def __repr__(self):
        right, total = self.score
        return f"Quiz({self.title!r}, {total} questions, {right} right)"

    def to_dict(self):
        """JSON-safe form of the questions and the learner's state."""
        return {"title": self.title, "questions": [q.to_dict() for q in self.questions],
                "selected": list(self.selected), "results": list(self.results),
                "attempts": list(self.attempts)}
