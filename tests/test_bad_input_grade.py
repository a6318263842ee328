"""Bad input to ``vmotion-grade``: one ``error: ...`` line naming the flag, exit 2, checked before
any grading; the CSV is replaced atomically (never half-written, old one kept on failure)."""

import csv
import os
import subprocess
import sys

import pytest

from vmotion_labs import Lab
from vmotion_labs.grading import batch, state



@pytest.fixture
def subs(tmp_path):
    d = tmp_path / "subs"
    d.mkdir()
    Lab.open("lab01", "alice").save(d / "alice.json")
    (tmp_path / "afile").write_text("not a folder")
    (tmp_path / "adir").mkdir()
    return tmp_path


def _fake_rows(*_args, **_kwargs):
    return [{"learner": "alice", "status": "malformed", "reason": "test row",
             "submission": "alice.json"}]


def _main(capsys, argv):
    code = batch.main(argv + ["--quiet"])
    out, err = capsys.readouterr()
    return code, out, err


def _usage_error(code, out, err, *fragments):
    assert code == 2 and out == ""
    assert err.startswith("error: ") and err.count("\n") == 1, err
    assert "Traceback" not in err
    for f in fragments:
        assert f in err, (f, err)


@pytest.mark.parametrize("extra, fragments", [
    ([], ["required", "--csv"]),
    (["--csv"], ["--csv", "expected one argument"]),
    (["--csv", "{t}/g.csv", "--timeout", "x"], ["--timeout", "invalid float"]),
    (["--csv", "{t}/g.csv", "--timeout", "0"], ["--timeout", "between 0 and 86400"]),
    (["--csv", "{t}/g.csv", "--timeout=-5"], ["--timeout", "between 0 and 86400"]),
    (["--csv", "{t}/g.csv", "--timeout", "nan"], ["--timeout", "got nan"]),
    (["--csv", "{t}/g.csv", "--timeout", "inf"], ["--timeout", "got inf"]),
    (["--csv", "{t}/g.csv", "--jobs", "0"], ["--jobs", "between 1 and 256"]),
    (["--csv", "{t}/g.csv", "--jobs", "two"], ["--jobs", "invalid int"]),
    (["--csv", "{t}/g.csv", "--course", ""], ["--course", "must not be empty"]),
    (["--csv", ""], ["--csv", "give a file name"]),
    (["--csv", "{t}/adir"], ["--csv", "is a folder"]),
    (["--csv", "{t}/afile/g.csv"], ["--csv", "is a file, not a folder"]),
    (["--csv", "{t}/g.csv", "--feedback", "{t}/afile"], ["--feedback", "is a file"]),
    (["--csv", "{t}/g.csv", "--feedback", "{t}/afile/fb"], ["--feedback", "not a folder"]),
    (["--csv", "{t}/g.csv", "--bogus"], ["unrecognized arguments", "--bogus"]),
])
def test_bad_flags_exit_2_before_grading(capsys, subs, monkeypatch, extra, fragments):
    def no_grading(*_a, **_k):
        raise AssertionError("grading started despite a usage error")
    monkeypatch.setattr(batch, "grade_batch", no_grading)
    argv = ["lab01", str(subs / "subs")] + [e.format(t=subs) for e in extra]
    _usage_error(*_main(capsys, argv), *fragments)
    assert not (subs / "g.csv").exists() and not (subs / "fb").exists()
    assert sorted(p.name for p in subs.iterdir()) == ["adir", "afile", "subs"]


@pytest.mark.parametrize("lab, fragment", [("lab99", "unknown lab 'lab99'"),
                                           ("LAB01", "known: lab01")])
def test_unknown_lab(capsys, subs, lab, fragment):
    _usage_error(*_main(capsys, [lab, str(subs / "subs"), "--csv", str(subs / "g.csv")]),
                 fragment)
    assert not (subs / "g.csv").exists()


def test_missing_submissions_are_a_usage_error(capsys, subs, monkeypatch):
    monkeypatch.setattr(batch, "grade_batch", _fake_rows)
    code, out, err = _main(capsys, ["lab01", str(subs / "subs" / "alice.json"),
                                    str(subs / "typo.json"), "--csv", str(subs / "g.csv")])
    _usage_error(code, out, err, "SUBMISSIONS", "'" + str(subs / "typo.json") + "'")
    assert not (subs / "g.csv").exists()
    monkeypatch.undo()  # the real grader: an empty folder grades nothing
    empty = subs / "adir"
    _usage_error(*_main(capsys, ["lab01", str(empty), "--csv", str(subs / "g.csv")]),
                 "no submissions found")


def test_csv_replaced_atomically_and_kept_on_failure(capsys, subs, monkeypatch):
    out_csv = subs / "g.csv"
    out_csv.write_text("learner,status\nold,graded\n")
    os.chmod(out_csv, 0o640)
    monkeypatch.setattr(batch, "grade_batch", _fake_rows)
    assert _main(capsys, ["lab01", str(subs / "subs"), "--csv", str(out_csv)])[0] == 0
    rows = list(csv.DictReader(out_csv.open()))
    assert [r["learner"] for r in rows] == ["alice"] and rows[0]["reason"] == "test row"
    assert out_csv.stat().st_mode & 0o777 == 0o640  # the instructor's permissions survive

    def disk_full(src, dst):
        raise OSError(28, "No space left on device", str(dst))
    before = out_csv.read_text()
    monkeypatch.setattr(state.os, "replace", disk_full)
    code, out, err = _main(capsys, ["lab01", str(subs / "subs"), "--csv", str(out_csv)])
    _usage_error(code, out, err, "--csv", "No space left on device")
    assert out_csv.read_text() == before  # the old CSV is intact
    assert not list(subs.glob(".g.csv.*"))  # and no temporary file is left behind


def test_feedback_write_failure_keeps_the_csv(capsys, subs, monkeypatch):
    monkeypatch.setattr(batch, "grade_batch", _fake_rows)
    real_write = state.write_atomic

    def refuse_feedback(path, text):
        if "fb" in str(path):
            raise PermissionError(13, "Permission denied", str(path))
        return real_write(path, text)
    monkeypatch.setattr(batch, "write_atomic", refuse_feedback)
    code, out, err = _main(capsys, ["lab01", str(subs / "subs"), "--csv", str(subs / "g.csv"),
                                    "--feedback", str(subs / "fb")])
    _usage_error(code, out, err, "--feedback", "Permission denied", "CSV was written")
    assert "alice" in (subs / "g.csv").read_text()


def test_write_atomic_never_leaves_half_a_file(tmp_path, monkeypatch):
    target = tmp_path / "out.txt"
    target.write_text("complete old content\n")

    class Boom(Exception):
        pass

    def fail_midway(src, dst):
        raise Boom()
    monkeypatch.setattr(state.os, "replace", fail_midway)
    with pytest.raises(Boom):
        state.write_atomic(target, "new content that never lands\n")
    assert target.read_text() == "complete old content\n"
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]


def test_one_real_submission_graded(capsys, subs):
    """The checks above do not break a real run (one submission, graded in a subprocess)."""
    code, _, err = _main(capsys, ["lab01", str(subs / "subs"), "--csv", str(subs / "g.csv"),
                                  "--timeout", "60"])
    assert code == 0, err
    assert [r["status"] for r in csv.DictReader((subs / "g.csv").open())] == ["graded"]


def test_console_script_usage_error(subs):
    exe = os.path.join(os.path.dirname(sys.executable), "vmotion-grade")
    cmd = [exe] if os.path.exists(exe) else [sys.executable, "-m", "vmotion_labs.grading.batch"]
    p = subprocess.run(cmd + ["lab01", str(subs / "subs"), "--csv", str(subs / "adir")],
                       capture_output=True, text=True, timeout=120)
    assert p.returncode == 2 and p.stderr.count("\n") == 1 and "--csv" in p.stderr
    assert "Traceback" not in p.stderr
