"""Unit tests of the class pieces that need no hub: roster, store migrations, the learner's view
of feedback, the learner edition in a home, lab.submit() off the hub, the launcher's errors."""

import datetime
import json
import os
import sqlite3
import subprocess
import sys

import pytest

from vmotion_core.errors import UsageError

UTC = datetime.timezone.utc


# -- roster ------------------------------------------------------------------------------------
@pytest.mark.parametrize("text,words", [
    ("name,role\nann,learner\n", "first line must name the columns"),
    ("username,role\nAnn,learner\nmia,instructor\n", "line 2: username 'Ann' is not allowed"),
    ("username,role\nroot,instructor\n", "line 2: username 'root' is a system account"),
    ("username,role\nann,student\n", "line 2: role 'student' is not one of learner, instructor"),
    ("username,role\nann,learner\nmia,instructor\nann,learner\n", "listed twice (first on line 2)"),
    ("username,role\nann,learner\n", "no instructor"),
    ("username,role\n", "no members"),
])
def test_roster_errors_name_line_and_rule(tmp_path, text, words):
    from vmotion_class.roster import read_roster
    path = tmp_path / "r.csv"
    path.write_text(text)
    with pytest.raises(UsageError, match=None) as exc:
        read_roster(path)
    assert words in str(exc.value)


def test_roster_reads_members_and_skips_comments(tmp_path):
    from vmotion_class.roster import read_roster
    path = tmp_path / "r.csv"
    path.write_text("\ufeffusername,role,name\n# a comment\nann,learner,Ann A\n\nmia,Instructor\n")
    members = read_roster(path)
    assert [(m.username, m.role, m.name) for m in members] == [
        ("ann", "learner", "Ann A"), ("mia", "instructor", "")]


# -- store -------------------------------------------------------------------------------------
def test_store_creates_and_migrates_a_version_1_database(tmp_path):
    from vmotion_class.store import SCHEMA_VERSION, Store, _v1
    url = f"sqlite:///{tmp_path / 'c.sqlite'}"
    from sqlalchemy import create_engine, text
    eng = create_engine(url)
    with eng.begin() as conn:          # a database as schema version 1 left it
        _v1(conn)
        conn.execute(text("INSERT INTO class_meta VALUES ('schema', '1')"))
        conn.execute(text("INSERT INTO submissions (learner, lab, received_at, size_bytes, status,"
                          " reason, document) VALUES ('ann', 'lab01', '2026-12-01 10:00:00', 2,"
                          " 'malformed', 'x', '{}')"))
    store = Store(url)
    assert store.version_before == 1 and SCHEMA_VERSION == 3
    cols = [r[1] for r in sqlite3.connect(tmp_path / "c.sqlite").execute(
        "PRAGMA table_info(submissions)")]
    assert "grade_ms" in cols and "notes" in cols
    old = store.history("ann")[0]
    assert old["status"] == "malformed" and old["received_at"].tzinfo is UTC
    assert old["flags"] == [] and old["ops_digest"] is None      # no notes before version 3
    assert Store(url).version_before == SCHEMA_VERSION        # idempotent


def test_class_csv_flags_what_vmotion_grade_flags(tmp_path):
    """Flags survive the store: the worker's own, and shared work found across the class."""
    import csv
    import io
    from types import SimpleNamespace

    from vmotion_class.dashboard import csv_export
    from vmotion_class.store import Store
    s = Store(f"sqlite:///{tmp_path / 'c.sqlite'}")
    rep = {"score": 3.0, "max_score": 10.0, "results": []}
    same = {"status": "graded", "report": rep, "ops_digest": "d1", "operations": 4}
    s.add("ann", "lab01", "{}", 2, {**same, "flags": []}, 1.0)
    s.add("ben", "lab01", "{}", 2, {**same, "flags": ["file names learner 'cat'"],
                                    "file_learner": "cat"}, 1.0)
    s.add("cat", "lab01", "{}", 2, {"status": "graded", "report": rep, "ops_digest": "d2",
                                    "operations": 2}, 1.0)
    members = {m: {"role": "learner"} for m in ("ann", "ben", "cat")}
    rows = list(csv.DictReader(io.StringIO(csv_export(SimpleNamespace(store=s, members=members),
                                                      "lab01"))))
    flags = {r["learner"]: r["flags"] for r in rows}
    assert flags["ann"] == "same operation log as ben"
    assert flags["ben"] == ("same operation log as ann; "
                            "file names learner 'cat', another learner of this class")
    assert flags["cat"] == ""


def test_store_keeps_every_submission_and_latest_is_newest(tmp_path):
    from vmotion_class.store import Store
    s = Store(f"sqlite:///{tmp_path / 'c.sqlite'}")
    rep = {"score": 3.0, "max_score": 10.0, "results": []}
    for status in ("graded", "forged", "graded"):
        s.add("ann", "lab01", "{}", 2, {"status": status, "report": rep}, 1.0)
    s.add("ben", "lab01", "{}", 2, {"status": "malformed", "reason": "bad"}, 1.0)
    assert len(s.history("ann")) == 3
    latest = {r["learner"]: r for r in s.latest("lab01")}
    assert latest["ann"]["id"] == 3 and latest["ben"]["status"] == "malformed"
    assert s.counts() == {("ann", "lab01"): 3, ("ben", "lab01"): 1}


def test_store_refuses_a_newer_schema(tmp_path):
    from vmotion_class.store import Store
    url = f"sqlite:///{tmp_path / 'c.sqlite'}"
    Store(url)
    con = sqlite3.connect(tmp_path / "c.sqlite")
    con.execute("UPDATE class_meta SET value='99'")
    con.commit()
    with pytest.raises(RuntimeError, match="schema version 99"):
        Store(url)


# -- the learner's view of feedback --------------------------------------------------------------
def _graded_row():
    from vmotion_labs import Lab
    from vmotion_labs.grading.lab import lab_spec
    lab_spec("lab01")
    from vmotion_labs.grading.instructor import grade
    rep = grade(Lab.open("lab01", learner="ann")).to_dict()
    return {"id": 7, "lab": "lab01", "learner": "ann", "status": "graded", "reason": "",
            "received_at": datetime.datetime(2026, 12, 3, 9, 0, tzinfo=UTC), "report": rep}


def test_hidden_checks_only_after_the_deadline():
    from vmotion_class.feedback import learner_view
    row = _graded_row()
    assert any(r["hidden"] for r in row["report"]["results"])
    now = datetime.datetime(2026, 12, 3, 10, 0, tzinfo=UTC)
    before = learner_view(row, None, now)
    assert not before["hidden_shown"] and "(hidden)" not in before["feedback_text"]
    assert "were graded too" in before["feedback_text"] and "not set one yet" in \
        before["feedback_text"]
    assert before["max_score"] < row["report"]["max_score"]       # public points only
    due_later = learner_view(row, now + datetime.timedelta(hours=1), now)
    assert not due_later["hidden_shown"] and "2026-12-03 11:00 UTC" in due_later["feedback_text"]
    after = learner_view(row, now - datetime.timedelta(minutes=1), now)
    assert after["hidden_shown"] and "(hidden)" in after["feedback_text"]
    assert after["max_score"] == row["report"]["max_score"]


def test_not_graded_submission_says_why_and_what_to_do():
    from vmotion_class.feedback import learner_view
    from vmotion_labs.grading.gradebook import ADVICE
    row = {**_graded_row(), "status": "replay-failed", "report": None,
           "reason": "step 3 cannot be done"}
    v = learner_view(row, None, datetime.datetime.now(UTC))
    assert "status replay-failed" in v["feedback_text"]
    assert "step 3 cannot be done" in v["feedback_text"]
    assert ADVICE["replay-failed"] in v["feedback_text"]


# -- learner edition in a home -------------------------------------------------------------------
def test_provision_adds_never_overwrites_and_places_updates_next_to_work(tmp_path):
    from vmotion_class.edition import build_edition, provision_home
    edition, home = tmp_path / "edition", tmp_path / "home"
    home.mkdir()
    files = build_edition(edition)
    assert "labs/lab01.ipynb" in files and "course/00-start-here.ipynb" in files
    uid, gid = os.getuid(), os.getgid()
    added, updates = provision_home(edition, home, "ann", uid, gid)
    assert set(added) == set(files) and updates == []
    mine = home / "vmotion-workshop" / "labs" / "lab01.ipynb"
    assert 'LEARNER = \\"ann\\"' in mine.read_text()            # personalised for the account
    assert "lab.submit()" in mine.read_text()                     # the hand-in step of the hub
    mine.write_text("my work")
    (home / "vmotion-workshop" / "labs" / "lab02.ipynb").unlink()  # a learner may delete one
    assert provision_home(edition, home, "ann", uid, gid) == ([], [])
    assert mine.read_text() == "my work"
    assert not (home / "vmotion-workshop" / "labs" / "lab02.ipynb").exists()
    nb = edition / "labs" / "lab01.ipynb"                         # the instructor pushes an update
    nb.write_text(nb.read_text().replace("Build the vMotion network", "Build the vMotion net"))
    added, updates = provision_home(edition, home, "ann", uid, gid)
    assert added == [] and updates == ["labs/lab01 (update 1).ipynb"]
    assert mine.read_text() == "my work"
    assert "Build the vMotion net" in (mine.parent / "lab01 (update 1).ipynb").read_text()


def test_provision_refuses_symlinks_in_the_home(tmp_path):
    from vmotion_class.edition import build_edition, provision_home
    edition, home, elsewhere = tmp_path / "edition", tmp_path / "home", tmp_path / "etc"
    build_edition(edition)
    home.mkdir()
    elsewhere.mkdir()
    (home / "vmotion-workshop").symlink_to(elsewhere)
    with pytest.raises(PermissionError, match="symbolic link"):
        provision_home(edition, home, "ann", os.getuid(), os.getgid())
    assert list(elsewhere.iterdir()) == []


def test_learner_edition_has_no_solutions(tmp_path):
    from vmotion_class.edition import build_edition
    edition = tmp_path / "e"
    build_edition(edition)
    notebooks = list(edition.rglob("*.ipynb"))
    assert len(notebooks) >= 10
    for nb in notebooks:
        assert "### BEGIN SOLUTION" not in nb.read_text()
        cells = json.loads(nb.read_text())["cells"]
        assert all(c.get("outputs", []) == [] for c in cells if c["cell_type"] == "code")


# -- lab.submit() off the hub -------------------------------------------------------------------
def test_submit_off_the_hub_explains_instead_of_raising(monkeypatch):
    from vmotion_labs import Lab
    monkeypatch.delenv("VMOTION_CLASS_URL", raising=False)
    monkeypatch.delenv("JUPYTERHUB_API_TOKEN", raising=False)
    res = Lab.open("lab01", learner="ann").submit()
    assert not res.ok and "lab.save()" in str(res) and "<strong>" in res._repr_html_()


def test_submit_refuses_a_lab_opened_for_someone_else(monkeypatch):
    from vmotion_labs import Lab
    monkeypatch.setenv("VMOTION_CLASS_URL", "http://127.0.0.1:9/services/class/")
    monkeypatch.setenv("JUPYTERHUB_API_TOKEN", "t")
    monkeypatch.setenv("JUPYTERHUB_USER", "ben")
    res = Lab.open("lab01", learner="ann").submit()
    assert not res.ok and "learner='ben'" in str(res)


def test_submit_says_when_the_service_is_unreachable(monkeypatch):
    from vmotion_labs import Lab
    monkeypatch.setenv("VMOTION_CLASS_URL", "http://127.0.0.1:9/services/class/")
    monkeypatch.setenv("JUPYTERHUB_API_TOKEN", "t")
    monkeypatch.setenv("JUPYTERHUB_USER", "ann")
    res = Lab.open("lab01", learner="ann").submit(timeout_s=5)
    assert not res.ok and "did not answer" in str(res)


def test_grade_adapter_grades_a_state_made_for_another_learner_as_the_sender(tmp_path):
    from vmotion_labs import Lab
    from vmotion_labs.grading.submit import document, grade_file
    path = tmp_path / "s.json"
    path.write_text(json.dumps(document(Lab.open("lab01", learner="ben"))))
    out = grade_file("lab01", path, learner="ann", timeout_s=60)
    # identity is the sender's: replayed on ann's variant (nothing done: 0 points), flagged
    assert out["status"] == "graded" and out["learner"] == "ann" and out["score"] == 0
    assert "file names learner 'ben'" in out["flags"]
    ok = grade_file("lab01", path, learner="ben", timeout_s=60)
    assert ok["status"] == "graded" and ok["max_score"] > 0 and ok["report"]["results"]


# -- launcher ----------------------------------------------------------------------------------
@pytest.mark.parametrize("args,words", [
    ([], "--roster: give the class roster"),
    (["--roster", "/nonexistent.csv"], "not found"),
    (["--roster", "x.csv", "--port", "70000"], "--port: must be a port number"),
    (["--roster", "x.csv", "--port", "8000", "--hub-port", "8000"], "must all differ"),
    (["--roster", "x.csv", "--ssl-cert", "/nonexistent"], "--ssl-cert and --ssl-key"),
    (["--roster", "x.csv", "--port", "eighty"], "argument --port: invalid int value"),
    (["--frobnicate"], "unrecognized arguments: --frobnicate"),
])
def test_launcher_usage_errors_exit_2_with_one_line(args, words, tmp_path):
    proc = subprocess.run([sys.executable, "-m", "vmotion_class.launch", "--state",
                           str(tmp_path / "s"), *args], capture_output=True, text=True)
    assert proc.returncode == 2
    assert proc.stderr.startswith("error: ") and words in proc.stderr
    assert "Traceback" not in proc.stderr
