"""Tests for the self-check quiz: validation, feedback, widget wiring and the static fallback."""

import html

import pytest

from vmotion_core.errors import ConfigError
from vmotion_core.widgets.quiz import Feedback, Question, Quiz


def _quiz():
    return Quiz([
        Question("Which host resumes the VM after switchover?",
                 ["the source host", "the destination host", "vCenter"], answer=1,
                 feedback={0: "The source stuns it; think about where it keeps running.",
                           2: "vCenter orchestrates but runs no VMs."},
                 explain="The destination restores the checkpoint and resumes the VM."),
        Question("Is a `disconnected` CD drive with a local ISO an error?",
                 ["yes", "no, a warning"], answer=1, explain="Warnings do not block."),
    ], title="Module test")


def test_question_validates_fields():
    with pytest.raises(ConfigError, match="options"):
        Question("q?", ["only one"], answer=0)
    with pytest.raises(ConfigError, match="answer"):
        Question("q?", ["a", "b"], answer=2)
    with pytest.raises(ConfigError, match="answer"):
        Question("q?", ["a", "b"], answer=True)
    with pytest.raises(ConfigError, match="feedback"):
        Question("q?", ["a", "b"], answer=0, feedback={5: "x"})
    with pytest.raises(ConfigError, match="prompt"):
        Question("  ", ["a", "b"], answer=0)
    with pytest.raises(ConfigError, match="questions"):
        Quiz([])
    with pytest.raises(ConfigError, match=r"questions\[0\]"):
        Quiz(["not a question"])


def test_options_are_stored_as_tuple_and_question_is_frozen():
    q = Question("q?", ["a", "b"], answer=0)
    assert q.options == ("a", "b")
    with pytest.raises(AttributeError):
        q.answer = 1


def test_per_option_feedback_and_explanation():
    quiz = _quiz()
    wrong = quiz.answer(0, 2)
    assert isinstance(wrong, Feedback) and not wrong.correct
    assert "vCenter orchestrates" in wrong.message
    assert "restores the checkpoint" not in wrong.message   # no spoiler on a wrong answer
    generic = quiz.answer(1, 0)
    assert not generic.correct and "try a different option" in generic.message
    right = quiz.answer(0, 1)
    assert right.correct and right.message.startswith("Correct.")
    assert "restores the checkpoint" in right.message
    assert quiz.score == (1, 2)
    assert quiz.attempts == [2, 1]
    assert quiz.results == [True, False]


def test_answer_rejects_bad_indexes():
    quiz = _quiz()
    with pytest.raises(ConfigError, match="question"):
        quiz.answer(2, 0)
    with pytest.raises(ConfigError, match="option"):
        quiz.answer(0, 3)


def test_check_without_selection_asks_for_a_choice():
    quiz = _quiz()
    assert quiz.check(0) is None
    assert quiz.messages[0] == "Pick an option first."
    assert quiz.attempts == [0, 0]


def test_widget_clicks_update_state_and_feedback_view():
    quiz = _quiz()
    box = quiz.widget
    assert quiz.widget is box                      # built once
    import ipywidgets
    # toggle buttons are reachable with Tab in JupyterLab (radio arrows are taken by command mode)
    assert all(isinstance(c, ipywidgets.ToggleButtons) for c in quiz._choices)
    choice = quiz._choices[0]
    choice.value = 1                               # what a click (or Space on option b) does
    assert quiz.selected[0] == 1
    button = box.children[1].children[2].children[0]
    assert button.description == "Check"
    button.click()
    assert quiz.results[0] is True
    view = quiz._feedback_views[0].value
    assert "✓" in view and 'aria-live="polite"' in view
    assert "Score: 1 of 2" in quiz._score_view.value
    choice.value = 0                               # changing the choice clears stale feedback
    assert quiz.messages[0] == ""
    quiz.answer(1, 0)                              # API calls move the option buttons too
    assert quiz._choices[1].value == 0
    assert "✗" in quiz._feedback_views[1].value


def test_reset_clears_state_and_widgets():
    quiz = _quiz()
    _ = quiz.widget
    quiz.answer(0, 1)
    quiz.reset()
    assert quiz.selected == [None, None] and quiz.results == [None, None]
    assert quiz._choices[0].value is None
    assert quiz.score == (0, 2)


def test_static_versions_show_questions_and_collapsed_answers():
    quiz = _quiz()
    md = quiz.to_markdown()
    assert md == quiz._repr_markdown_()
    assert "1. Which host resumes" in md and "b) the destination host" in md
    assert md.count("<details>") == 2
    page = quiz.to_html()
    assert page == quiz._repr_html_()
    assert page.startswith("<details") and "JupyterLab" in page
    assert page.count("<details") == 3             # the whole quiz, then one per answer
    assert "<code>disconnected</code>" in page     # inline code rendered, text escaped
    answer_block = page.split("Answer to question 1</summary>")[1]
    assert "b) the destination host" in answer_block.split("</details>")[0]


def test_inline_markdown_is_rendered():
    quiz = Quiz([Question("A *warning*, **bold**, `x * y` and 2 * 3", ["a", "b"], answer=0)])
    page = quiz.to_html()
    assert "A <em>warning</em>, <strong>bold</strong>, <code>x * y</code> and 2 * 3" in page


def test_html_is_escaped():
    quiz = Quiz([Question("Is <b>this</b> bold?", ["<script>", "no"], answer=1)])
    page = quiz.to_html()
    assert "<script>" not in page and html.escape("<script>", quote=False) in page


def test_ipython_display_emits_widget_and_static_html(monkeypatch):
    shown = []
    monkeypatch.setattr("IPython.display.display", lambda obj: shown.append(obj))
    _quiz()._ipython_display_()
    assert len(shown) == 2
    assert hasattr(shown[0], "children")           # the VBox
    assert "<details" in shown[1].data


def test_to_dict_is_json_safe():
    import json

    quiz = _quiz()
    quiz.answer(0, 1)
    data = json.loads(json.dumps(quiz.to_dict()))
    assert data["selected"] == [1, None] and data["questions"][0]["answer"] == 1
