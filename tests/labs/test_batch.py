"""vmotion-grade with a roster and LMS download layouts: identity from outside the file, one row
per rostered learner (``missing`` when nothing came in), unmatched files listed, the CSV format
of :mod:`vmotion_labs.grading.gradebook`, feedback for every learner."""

import csv

import pytest

from vmotion_core.errors import UsageError
from vmotion_labs import Lab
from vmotion_labs.grading import batch, gradebook, identity
from vmotion_labs.lab01_vmotion_network import solution


def _solved(learner):
    lab = Lab.open("lab01", learner)
    solution.solve(lab)
    return lab


@pytest.fixture(scope="module")
def moodle(tmp_path_factory):
    root = tmp_path_factory.mktemp("moodle")
    subs = root / "download"
    _solved("s1001").save(subs / "Ann Lee_4711_assignsubmission_file_" / "lab01-whatever.json")
    Lab.open("lab01", "s1002").save(subs / "Bo Chen_4712_assignsubmission_file_" / "lab01.json")
    _solved("s1003").save(subs / "smithcat_late_4713_99_lab01.json")              # Canvas
    _solved("s1004").save(subs / "stray.json")                                      # nobody
    (subs / "Ann Lee_4711_assignsubmission_file_" / "readme.txt").write_text("hi")
    roster = root / "roster.csv"
    roster.write_text("learner,display name,pattern\n"
                      "s1001,Ann Lee,\n"
                      "s1002,Bo Chen,\n"
                      "s1003,Cat Smith,smithcat_*\n"
                      "s1005,Dan Missing,\n")
    out = root / "out"
    code = batch.main(["lab01", str(subs), "--csv", str(out / "g.csv"), "--feedback",
                       str(out / "fb"), "--roster", str(roster), "--jobs", "2", "--quiet"])
    assert code == 0
    return list(csv.DictReader((out / "g.csv").open(encoding="utf-8"))), out


def test_roster_gives_every_learner_a_row(moodle):
    rows, _ = moodle
    by = {r["learner"]: r for r in rows if r["learner"]}
    assert list(by) == ["s1001", "s1002", "s1003", "s1005"]
    assert (by["s1001"]["status"], by["s1001"]["score"]) == ("graded", "13")
    assert by["s1001"]["display_name"] == "Ann Lee"
    assert "readme.txt (skipped" in by["s1001"]["other_files"]
    assert (by["s1002"]["status"], by["s1002"]["score"]) == ("graded", "0")
    assert (by["s1003"]["status"], by["s1003"]["score"]) == ("graded", "13")   # by pattern
    assert by["s1005"]["status"] == "missing" and by["s1005"]["score"] == "0"
    assert by["s1005"]["max_score"] == "13"
    stray = [r for r in rows if not r["learner"]]
    assert [(r["status"], r["submission"]) for r in stray] == [("unmatched", "stray.json")]


def test_csv_header_is_the_documented_format(moodle):
    rows, out = moodle
    header = (out / "g.csv").read_text().splitlines()[0].split(",")
    checks = [h for h in header if h.startswith("lab01.")]
    assert header == [*gradebook.COLUMNS[:5], *checks, *gradebook.COLUMNS[5:]]
    assert {r["status"] for r in rows} <= set(gradebook.STATUSES)


def test_missing_learner_gets_feedback_too(moodle):
    _, out = moodle
    assert "Nothing was handed in" in (out / "fb" / "s1005.txt").read_text()


@pytest.mark.parametrize("text, words", [
    ("s1,Ann\ns1,Ann again\n", "listed twice"),
    ("a b,Ann\n", "line 1"),
    ("s1,Ann,x,y\n", "columns"),
    ("# only a comment\n", "no learners"),
])
def test_bad_roster_is_a_usage_error(tmp_path, text, words):
    (tmp_path / "r.csv").write_text(text)
    with pytest.raises(UsageError, match=words):
        identity.read_roster(tmp_path / "r.csv")


def test_roster_flag_checked_before_grading(tmp_path, capsys):
    _solved("a1").save(tmp_path / "a1.json")
    code = batch.main(["lab01", str(tmp_path), "--csv", str(tmp_path / "g.csv"), "--roster",
                       str(tmp_path / "nope.csv"), "--quiet"])
    err = capsys.readouterr().err
    assert code == 2 and err.startswith("error: --roster") and err.count("\n") == 1


@pytest.mark.parametrize("rel, name", [
    ("Ann Lee_4711_assignsubmission_file_/x.json", "Ann Lee"),
    ("Ann Lee_4711_assignsubmission_onlinetext_/x.json", "Ann Lee"),
    ("leeann_4711_99_lab01-1.json", "leeann"),
    ("leeann_late_4711_99_lab01.ipynb", "leeann"),
    ("Lab 01_aleee_attempt_2025-01-02-10-11-12_lab01.json", "aleee"),
    ("aleee/lab01.ipynb", "aleee"),
    ("lab01-aleee.json.txt", "aleee"),
    ("LAB01_aleee.JSON", "aleee"),
    ("lab01.json", ""),
])
def test_names_from_lms_layouts(rel, name):
    assert identity.name_from_path(rel) == name


def test_safe_ids_resolve_collisions_ignoring_case():
    ids = identity.unique_ids(["Ann Lee", "Ann_Lee", "ann_lee", "x" * 300])
    assert list(ids.values()) == ["Ann_Lee", "Ann_Lee-2", "ann_lee-3", "x" * 64]


def test_one_learners_feedback_failing_does_not_stop_the_others(tmp_path, monkeypatch):
    rows = [{"learner": n, "status": "missing", "reason": "nothing handed in"} for n in "abc"]
    real = batch.write_atomic

    def refuse_b(path, text):
        if path.stem == "b":
            raise PermissionError(13, "Permission denied", str(path))
        return real(path, text)
    monkeypatch.setattr(batch, "write_atomic", refuse_b)
    failed = batch._write_feedback(tmp_path, "lab01", rows)
    assert [name for name, _ in failed] == ["b"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.html", "a.txt", "c.html", "c.txt"]


def test_instructor_can_trust_the_id_in_one_file(tmp_path):
    _solved("student").save(tmp_path / "sam" / "lab01.json")
    rows = batch.grade_batch("lab01", [tmp_path], progress=False)
    assert rows[0]["status"] == "replay-failed"
    rows = batch.grade_batch("lab01", [tmp_path], progress=False, trust_file_learner=["sam"])
    assert (rows[0]["learner"], rows[0]["status"], rows[0]["score"]) == ("sam", "graded", 13)
    assert any("variant of the learner the file names" in f for f in rows[0]["flags"])


def test_a_grade_file_result_exports_in_the_same_format(tmp_path):
    """The class service grades one hand-in with grade_file and exports with lab_csv_text."""
    from vmotion_labs.grading.sandbox import grade_file
    path = _solved("hub-user").save(tmp_path / "h.json").path
    row = {**grade_file("lab01", path, learner="hub-user"), "display_name": "=Hub User"}
    text = gradebook.lab_csv_text("lab01", [row])
    got = list(csv.DictReader(text.splitlines()))
    assert got[0]["learner"] == "hub-user" and got[0]["score"] == "13"
    assert got[0]["display_name"] == "'=Hub User"
    assert list(got[0])[:5] == list(gradebook.COLUMNS[:5])
