"""The grade sheet: the one place that defines the CSV ``vmotion-grade`` writes (and the class
dashboard exports), its statuses, and the caps on feedback size.

CSV format (UTF-8, comma-separated, one header line, ``\\n`` line ends)::

    learner, display_name, status, score, max_score, <lab>.<check id>..., flags, reason,
    submission, other_files

- one row per learner: every rostered learner (``missing`` when nothing came in), every learner
  identified from a file or folder name, and one row per file that could not be matched to a
  learner (``unmatched``), so every file given is accounted for;
- ``status`` is one of :data:`STATUSES`; ``score``/``max_score`` are points (``score`` 0 unless
  ``graded``); one column per check (public and hidden, in the lab's order) holds the points
  awarded, empty when not graded;
- ``flags`` (separated by ``;``) are for the instructor to look at: the file names another
  learner inside, the same operation log as another learner, more than one hand-in, ...;
- ``submission`` is the graded file, ``other_files`` (separated by ``;``) the learner's other files
  with why they were not graded;
- every text cell that a spreadsheet would read as a formula (starting with ``= + - @``, a tab
  or a carriage return) is prefixed with ``'``.
"""

import csv
import io

__all__ = ["STATUSES", "GRADED_BY_WORKER", "FEEDBACK_CAPS", "COLUMNS", "ADVICE", "safe_cell",
           "csv_text", "check_columns", "lab_csv_text"]

#: every status a row can have
STATUSES = ("graded", "missing", "skipped", "unmatched", "malformed", "version", "replay-failed",
            "limit", "crashed", "timeout")
#: the statuses :func:`vmotion_labs.grading.sandbox.grade_file` returns
GRADED_BY_WORKER = ("graded", "malformed", "version", "replay-failed", "limit", "crashed",
                    "timeout")
#: size caps of what grading returns per hand-in (characters)
FEEDBACK_CAPS = {"message_chars": 400, "reason_chars": 400, "text_chars": 64_000,
                 "html_chars": 256_000}
#: the fixed columns; the check columns go between ``max_score`` and ``flags``
COLUMNS = ("learner", "display_name", "status", "score", "max_score", "flags", "reason",
           "submission", "other_files")

#: what a learner reads in their feedback when their hand-in was not graded
ADVICE = {
    "missing": "Nothing was handed in for this lab.",
    "skipped": "The file you handed in is not a lab hand-in. Hand in the file lab.save() wrote "
               "(lab01-<you>.json) or the notebook after running it to the end.",
    "malformed": "The file could not be read as a lab hand-in. Open the lab, run lab.save() and "
                 "hand in the file it writes (or the executed notebook).",
    "version": "The file was made with another version of the lab. Open the lab with the "
               "course's current version, redo the steps and save again.",
    "replay-failed": "Replaying what you did on your copy of the lab stopped at the step named "
                     "above. Did you open the lab with your own learner id? Open it again, redo "
                     "the steps, check and save.",
    "limit": "Your hand-in is larger or more costly to grade than a lab hand-in can be. Open the "
             "lab again and reach the goal in fewer steps.",
    "crashed": "The grader could not process this hand-in. Your instructor has been told.",
    "timeout": "Grading this hand-in did not finish in time. Your instructor has been told.",
}

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """``value`` as a CSV cell a spreadsheet shows as text, never runs as a formula.

    >>> safe_cell('=HYPERLINK("http://x")'), safe_cell("alice"), safe_cell(3)
    ('\\'=HYPERLINK("http://x")', 'alice', '3')
    """
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def _pts(x):
    return f"{x:g}"


def csv_text(check_ids, rows, max_score):
    """The CSV for ``rows`` (dicts with the :data:`COLUMNS` keys, ``report`` when graded).

    ``check_ids``: qualified check ids (``lab01.q1``...) in column order; ``max_score``: the
    lab's total, written on rows that were not graded.
    """
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow([*COLUMNS[:5], *check_ids, *COLUMNS[5:]])
    for r in rows:
        rep = r.get("report") if r.get("status") == "graded" else None
        pts = {c["id"]: c["points_awarded"] for c in rep["results"]} if rep else {}
        score, top = (rep["score"], rep["max_score"]) if rep else (0, max_score)
        cells = [r.get("learner"), r.get("display_name", ""), r.get("status"), _pts(score),
                 _pts(top), *[_pts(pts[i]) if i in pts else "" for i in check_ids],
                 "; ".join(r.get("flags") or ()), r.get("reason", ""), r.get("submission", ""),
                 "; ".join(r.get("other_files") or ())]
        w.writerow([safe_cell(c) for c in cells])
    return buf.getvalue()


def check_columns(lab_id):
    """``(qualified check ids in column order, the lab's total points)``: every check the
    instructor edition runs, plus any hidden check ``lab.yaml`` announces but this edition lacks."""
    from .lab import lab_spec
    spec = lab_spec(lab_id)
    ids = [c.qualified_id for c in spec.checks]
    total = sum(c.points for c in spec.checks)
    for check_id, points, _ in spec.hidden:
        if f"{lab_id}.{check_id}" not in ids:
            ids.append(f"{lab_id}.{check_id}")
            total += points
    return ids, total


def lab_csv_text(lab_id, rows):
    """The CSV of ``rows`` (``vmotion-grade`` rows or :func:`~.sandbox.grade_file` results with
    the identity keys added) for ``lab_id``: the one format every export uses."""
    ids, total = check_columns(lab_id)
    return csv_text(ids, rows, total)
