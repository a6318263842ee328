"""vmotion-grade on a class folder: good, bad, notebook, malformed, forged, other-version,
crashing and looping submissions; one row each, the batch never stops early."""

import csv
import json

import yaml

from vmotion_labs import Lab
from vmotion_labs.grading import batch
from vmotion_labs.grading.state import STATE_MIME, seal
from vmotion_labs.lab01_vmotion_network import solution

SECRET = "course-secret-for-tests"


def _solved(learner):
    lab = Lab.open("lab01", learner, secret=SECRET)
    solution.solve(lab)
    return lab


def _class_folder(tmp_path):
    d = tmp_path / "submissions"
    d.mkdir()
    _solved("alice").save(d / "alice.json")
    Lab.open("lab01", "bob", secret=SECRET).save(d / "bob.json")
    state = _solved("carol").state()
    nb = {"nbformat": 4, "nbformat_minor": 4, "metadata": {}, "cells": [
        {"cell_type": "code", "metadata": {}, "execution_count": 1, "source": "lab.save()",
         "outputs": [{"output_type": "execute_result", "execution_count": 1, "metadata": {},
                      "data": {"text/plain": "Saved", STATE_MIME: state}}]}]}
    (d / "carol.ipynb").write_text(json.dumps(nb))
    (d / "dave.json").write_text('{"format": "vmotion-lab-state", "schema_')      # malformed
    forged = _solved("erin").state()
    forged["answers"] = {"claimed": "full marks"}                                  # edited by hand
    (d / "erin.json").write_text(json.dumps(forged))
    (d / "frank.json").write_text(json.dumps(seal({**_solved("frank").state(), "schema_version": 1,
                                                   "lab_version": 7}, SECRET)))   # other version
    deep = seal({**_solved("gina").state(), "environment": "[" * 1200}, SECRET)   # crashes
    (d / "gina.json").write_text(json.dumps(deep))
    st = _solved("hugo").state()
    env = yaml.safe_load(st["environment"])
    for h in env["hosts"]:  # a runaway loop's worth of adapters: grading cannot finish in time
        base = h["vmknics"][-1]
        h["vmknics"] += [{**base, "name": f"vmk{i}", "prefix": 16,
                          "ip": f"10.{200 + i // 60000}.{i // 250 % 240}.{1 + i % 250}"}
                         for i in range(10, 6010)]
    (d / "hugo.json").write_text(json.dumps(seal({**st, "environment": yaml.safe_dump(env)},
                                                 SECRET)))
    (d / "notes.txt").write_text("not a submission")
    return d


def test_batch_grades_a_class_folder(tmp_path, capsys):
    folder = _class_folder(tmp_path)
    out_csv, fb = tmp_path / "grades.csv", tmp_path / "feedback"
    code = batch.main(["lab01", str(folder), "--csv", str(out_csv), "--feedback", str(fb),
                       "--secret", SECRET, "--timeout", "6", "--jobs", "2"])
    assert code == 0
    rows = {r["learner"]: r for r in csv.DictReader(out_csv.open())}
    assert sorted(rows) == ["alice", "bob", "carol", "dave", "erin", "frank", "gina", "hugo"]
    status = {k: r["status"] for k, r in rows.items()}
    assert status == {"alice": "graded", "bob": "graded", "carol": "graded",
                      "dave": "malformed", "erin": "forged", "frank": "version",
                      "gina": "crashed", "hugo": "timeout"}
    assert rows["alice"]["score"] == rows["alice"]["max_score"] == "13"
    assert rows["carol"]["score"] == "13"           # from the notebook's saved state
    assert float(rows["bob"]["score"]) < 13 and rows["bob"]["lab01.q1"] == "0"
    assert rows["alice"]["lab01.h1"] == "2"         # hidden checks are graded and in the CSV
    assert "not valid JSON" in rows["dave"]["reason"]
    assert "edited" in rows["erin"]["reason"]
    assert "version 7" in rows["frank"]["reason"]
    assert "nested too deeply" in rows["gina"]["reason"]
    assert "6 s" in rows["hugo"]["reason"]
    for learner in rows:
        assert (fb / f"{learner}.txt").exists() and (fb / f"{learner}.html").exists()
    assert "hidden" in (fb / "alice.txt").read_text()
    assert "status forged" in (fb / "erin.txt").read_text()
    assert not list(tmp_path.glob(".grades.csv*"))  # no temporary file left behind
    assert "8 learner(s)" in capsys.readouterr().err


def test_wrong_secret_marks_everything_forged(tmp_path):
    d = tmp_path / "s"
    d.mkdir()
    _solved("alice").save(d / "alice.json")
    rows = batch.grade_batch("lab01", [d], timeout_s=20, secret="another", progress=False)
    assert [r["status"] for r in rows] == ["forged"]


def test_usage_errors_exit_2(tmp_path, capsys):
    assert batch.main(["lab99", str(tmp_path), "--csv", str(tmp_path / "g.csv")]) == 2
    assert "unknown lab 'lab99'" in capsys.readouterr().err
    assert batch.main(["lab01", str(tmp_path), "--csv", str(tmp_path / "g.csv")]) == 2
    assert "no submissions found" in capsys.readouterr().err
    assert not (tmp_path / "g.csv").exists()
