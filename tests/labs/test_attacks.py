"""The adversarial suite: each attack on grading, and the row it must get.

One class folder (lab01) holds every hostile hand-in next to honest ones; ``vmotion-grade`` runs
once over it (two workers, from a folder that holds a booby-trapped ``yaml.py``), and each test
reads its row. The instructor's guide has the same table ("What the grader guarantees").
"""

import csv
import dataclasses
import json
import os
import shutil
import tempfile

import pytest

from vmotion_core.errors import ConfigError
from vmotion_labs import Lab
from vmotion_labs.grading import batch, gradebook, sandbox
from vmotion_labs.grading.instructor import all_params
from vmotion_labs.grading.state import MAX_BYTES, STATE_MIME
from vmotion_labs.lab01_vmotion_network import solution

TRAP = "raise SystemExit('yaml.py from the folder ran inside the grader')\n"


def _solved(learner):
    lab = Lab.open("lab01", learner)
    solution.solve(lab)
    return lab


def _doc(learner, **over):
    return {**_solved(learner).submission(), **over}


def _write(path, doc):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(doc) if not isinstance(doc, str) else doc)


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """Build the class folder, grade it once, return (rows by learner, other rows, folders)."""
    root = tmp_path_factory.mktemp("attacks")
    subs, cwd, out = root / "subs", root / "instructor", root / "out"
    for d in (subs, cwd, out):
        d.mkdir()
    honest = _solved("alice").submission()
    _write(subs / "lab01-alice.json", honest)
    Lab.open("lab01", "bob").save(subs / "lab01-bob.json")                       # untouched
    # copied work: carol hands in alice's file (LMS adds .txt)
    _write(subs / "lab01-carol.json.txt", honest)
    # rename sabotage: mallory's file says it is alice's, with nonsense in it
    _write(subs / "lab01-mallory.json", {**honest, "learner": "alice",
                                         "operations": [{"do": "reset"}] * 3})
    # two learners who kept the default id "student" (folder per learner, as LMSs lay out)
    for who in ("sam", "sue"):
        _solved("student").save(subs / who / "lab01-student.json")
    # hand-edited after saving: graded on what it does (no seal, nothing "forged")
    edited = _doc("erin")
    first_vmk = next(op for op in edited["operations"] if op["do"] == "add_vmknic")
    first_vmk["kwargs"]["port_group"] = "VM Network"
    _write(subs / "lab01-erin.json", edited)
    # an old sealed snapshot whose environment is a YAML alias bomb
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{c}: &{c} [*{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}]\n"
        for p, c in zip("abcdefgh", "bcdefghi"))
    _write(subs / "lab01-frank.json", {**_doc("frank"), "schema_version": 1,
                                       "environment": bomb, "integrity": "0" * 64})
    # API back doors written into the file
    back_door = {"do": "relocate_vm", "args": [all_params(_solved("gina"))["vm"]],
                 "kwargs": {"host": "anywhere"}}
    _write(subs / "lab01-gina.json", {**_doc("gina"), "operations": [back_door]})
    # a 5 MB VM name (old grader: 30 MB of feedback)
    big = _doc("hugo")
    big["operations"].append({"do": "set_vm", "args": ["x" * 5_000_000], "kwargs": {}})
    _write(subs / "lab01-hugo.json", big)
    # parse limits: deep nesting, too many operations, too large a file
    _write(subs / "lab01-ivan.json", "[" * 200_000 + "]" * 200_000)
    _write(subs / "lab01-judy.json", {**_doc("judy"), "operations": [{"do": "reset"}] * 5000})
    _write(subs / "lab01-kate.json", " " * (MAX_BYTES + 10))
    # formula injection through the file name; a 250-character folder name
    _write(subs / "=HYPERLINK(1)-x.json", honest)
    Lab.open("lab01", "long").save(subs / ("L" * 250) / "lab01.json")
    # odd extensions and an executed notebook
    _solved("lena").save(subs / "lena.JSON")
    nb = {"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [
        {"cell_type": "code", "metadata": {}, "execution_count": 1, "source": "lab.save()",
         "outputs": [{"output_type": "execute_result", "execution_count": 1, "metadata": {},
                      "data": {"text/plain": "Saved", STATE_MIME: _doc("mike")}}]}]}
    _write(subs / "mike.Ipynb", nb)
    (subs / "notes.docx").write_bytes(b"PK\x03\x04 not a hand-in")
    # a pipe would block a reader for ever; a link would point the grader at other files
    os.mkfifo(subs / "lab01-pete.json")
    (root / "secret.json").write_text(json.dumps(honest))
    (subs / "lab01-quinn.json").symlink_to(root / "secret.json")
    (subs / "__MACOSX").mkdir()
    (subs / "__MACOSX" / "._lab01-alice.json").write_bytes(b"\x00\x05\x16\x07")
    # the yaml.py attack: beside the hand-ins and in the instructor's current folder
    (subs / "yaml.py").write_text(TRAP)
    (cwd / "yaml.py").write_text(TRAP)
    before = sorted(os.listdir(root))
    tmp = root / "tmp"
    tmp.mkdir()
    old_cwd, old_tmp = os.getcwd(), tempfile.tempdir
    try:
        os.chdir(cwd)
        tempfile.tempdir = str(tmp)
        code = batch.main(["lab01", str(subs), "--csv", str(out / "grades.csv"), "--feedback",
                           str(out / "fb"), "--jobs", "2", "--timeout", "60", "--quiet"])
    finally:
        os.chdir(old_cwd)
        tempfile.tempdir = old_tmp
    assert code == 0
    rows = list(csv.DictReader((out / "grades.csv").open(encoding="utf-8")))
    return {"rows": {r["learner"]: r for r in rows if r["learner"]},
            "nobody": [r for r in rows if not r["learner"]], "root": root, "out": out,
            "before": before, "tmp": tmp, "subs": subs}


def _row(graded, learner):
    return graded["rows"][learner]


def test_honest_work_is_graded_in_full(graded):
    r = _row(graded, "alice")
    assert (r["status"], r["score"], r["max_score"]) == ("graded", "13", "13")
    assert _row(graded, "bob")["score"] == "0"                    # untouched lab: 0 points
    assert _row(graded, "lena")["score"] == "13"                  # .JSON
    assert _row(graded, "mike")["score"] == "13"                  # executed notebook, .Ipynb


def test_rename_sabotage_cannot_touch_the_victim(graded):
    victim, attacker = _row(graded, "alice"), _row(graded, "mallory")
    assert victim["status"] == "graded" and victim["score"] == "13"
    assert "mallory" not in victim["flags"]
    assert "'alice', another learner of this class" in attacker["flags"]
    assert attacker["submission"] == "lab01-mallory.json"


def test_copied_work_is_flagged_not_merged(graded):
    carol = _row(graded, "carol")
    assert carol["status"] == "replay-failed" and carol["reason"].startswith("step 1")
    assert "same operation log as alice" in carol["flags"]
    assert "same operation log as carol" in _row(graded, "alice")["flags"]


def test_default_learner_ids_do_not_merge(graded):
    for who, other in (("sam", "sue"), ("sue", "sam")):
        r = _row(graded, who)
        assert r["status"] == "replay-failed" and "file names learner 'student'" in r["flags"]
        assert f"same operation log as {other}" in r["flags"]
    # an untouched start state has an empty log: not "the same work"
    assert "same operation log" not in _row(graded, "bob")["flags"]


def test_hand_edited_file_is_graded_on_what_it_does(graded):
    r = _row(graded, "erin")
    assert r["status"] == "graded" and 0 < float(r["score"]) < 13   # never "forged"


def test_old_sealed_snapshot_with_alias_bomb_is_refused_unparsed(graded):
    r = _row(graded, "frank")
    assert r["status"] == "version" and "sealed snapshot" in r["reason"]


def test_back_door_operation_in_the_file_fails_its_step(graded):
    r = _row(graded, "gina")
    assert r["status"] == "replay-failed" and r["reason"].startswith("step 1 (relocate_vm)")


def test_huge_name_gives_a_short_row_and_small_feedback(graded):
    r = _row(graded, "hugo")
    assert r["status"] == "replay-failed" and "at most 1000 characters" in r["reason"]
    assert len(r["reason"]) <= gradebook.FEEDBACK_CAPS["reason_chars"]
    for f in (graded["out"] / "fb").iterdir():
        assert f.stat().st_size < 300_000, f


@pytest.mark.parametrize("learner, words", [("ivan", "nested too deeply"),
                                            ("judy", "at most 3000"),
                                            ("kate", "larger than 8 MiB")])
def test_parse_limits_give_a_limit_row(graded, learner, words):
    r = _row(graded, learner)
    assert r["status"] == "limit" and words in r["reason"], r


def test_formula_injection_is_neutralised(graded):
    text = (graded["out"] / "grades.csv").read_text(encoding="utf-8")
    r = _row(graded, "HYPERLINK_1_-x")
    assert r["display_name"] == "'=HYPERLINK(1)-x"
    assert r["submission"] == "'=HYPERLINK(1)-x.json"
    assert not any(cell.startswith(("=", "+", "-", "@")) for line in csv.reader(
        text.splitlines()) for cell in line)


def test_long_names_become_safe_ids(graded):
    r = _row(graded, "L" * 64)
    assert r["status"] == "graded"
    assert (graded["out"] / "fb" / f"{'L' * 64}.txt").exists()


def test_every_file_is_accounted_for(graded):
    listed = {r["submission"] for r in graded["rows"].values()}
    listed |= {r["submission"] for r in graded["nobody"]}
    listed |= {f.split(" (")[0] for r in graded["rows"].values()
               for f in r["other_files"].split("; ") if f}
    files = {p.relative_to(graded["subs"]).as_posix() for p in graded["subs"].rglob("*")
             if not p.is_dir()}
    assert {f.lstrip("'") for f in listed} >= files
    skipped = {r["submission"]: r["status"] for r in graded["nobody"]}
    assert skipped == {"notes.docx": "skipped", "yaml.py": "skipped",
                       "__MACOSX/._lab01-alice.json": "skipped"}


@pytest.mark.parametrize("learner, words", [("pete", "not a plain file"), ("quinn", "it is a link")])
def test_pipes_and_links_are_not_read(graded, learner, words):
    r = _row(graded, learner)
    assert r["status"] == "malformed" and words in r["reason"]


def test_nothing_ran_from_the_folder_and_nothing_was_written_outside(graded):
    assert all(r["status"] != "crashed" for r in graded["rows"].values())
    assert sorted(os.listdir(graded["root"])) == sorted(graded["before"] + ["tmp"])
    assert "secret.json" in graded["before"]
    assert list(graded["tmp"].iterdir()) == []          # worker folders are removed
    assert sorted(os.listdir(graded["root"] / "instructor")) == ["yaml.py"]


def test_every_learner_gets_feedback(graded):
    fb = graded["out"] / "fb"
    for learner in graded["rows"]:
        assert (fb / f"{learner}.txt").exists() and (fb / f"{learner}.html").exists()
    text = (fb / "gina.txt").read_text()
    assert "step 1 (relocate_vm)" in text and "Traceback" not in text


# --- attacks through the learner-facing API ---------------------------------------------------
def test_api_has_no_back_doors():
    lab = Lab.open("lab02", "alice")
    p = all_params(lab)
    with pytest.raises(ConfigError, match="lab.migrate"):
        lab.env.relocate_vm(p["vm_host"], host=p["host_2"])
    with pytest.raises(ConfigError, match="not made through"):
        lab.env = dataclasses.replace(lab.env, changes=())
    from vmotion_core.migration import MigrationRequest, migrate
    moved = migrate(lab.start_env, MigrationRequest(p["vm_host"], p["host_2"])).environment
    with pytest.raises(ConfigError, match="not made through"):
        lab.env = moved
    with pytest.raises(ConfigError, match="another lab or learner"):
        lab.env = Lab.open("lab02", "bob").env
    for name in ("grade", "_params", "spec", "state"):
        assert not hasattr(lab, name), name
    assert lab.operations == []   # refused attempts leave no trace in the hand-in


def test_a_prediction_made_after_the_run_does_not_count():
    lab = Lab.open("lab04", "alice")
    p = lab.params
    run = lab.migrate(p["vm"], target=p["host_b"], apply=False)
    lab.answer("rounds", run.precopy.n_rounds)
    rounds = next(r for r in lab.check().results if r.check_id == "p1")
    assert not rounds.passed and "after you ran" in rounds.message


# --- the sandbox's own limits -------------------------------------------------------------------
def test_cpu_limit_gives_a_limit_row(tmp_path):
    lab = Lab.open("lab04", "alice")
    p = lab.params
    lab.migrate(p["vm_big"], target=p["host_b"], apply=False)
    doc = lab.submission()
    doc["operations"] *= 2900                     # each is a full pre-copy simulation
    _write(tmp_path / "cpu.json", doc)
    r = sandbox.grade_file("lab04", tmp_path / "cpu.json", learner="alice", timeout_s=2)
    words = {"limit": "CPU", "timeout": "did not finish"}
    assert r["status"] in words and words[r["status"]] in r["reason"], r["reason"]


def test_memory_limit_gives_a_limit_row(tmp_path):
    n = (MAX_BYTES - 400) // 3                    # 8 MiB of "{}," grows to ~250 MiB parsed
    doc = json.dumps({**_doc("alice"), "operations": "OPS"})
    _write(tmp_path / "mem.json", doc.replace('"OPS"', "[" + ",".join(["{}"] * n) + "]"))
    r = sandbox.grade_file("lab01", tmp_path / "mem.json", learner="alice", memory_mib=250)
    assert r["status"] == "limit" and "memory" in r["reason"], r["reason"]


def test_grade_file_never_raises_and_keeps_its_contract(tmp_path):
    path = _solved("alice").save(tmp_path / "a.json").path
    r = sandbox.grade_file("lab01", path, learner="alice")
    assert r["status"] == "graded" and r["score"] == r["max_score"] == 13
    assert all(isinstance(c["hidden"], bool) for c in r["report"]["results"])
    assert any(c["hidden"] for c in r["report"]["results"])
    assert r["text"] and r["html"] and r["worker"]["peak_mib"] > 0
    for bad in ({"learner": "a b"}, {"learner": "x" * 300}, {"learner": None}):
        assert sandbox.grade_file("lab01", path, **bad)["status"] == "malformed"
    assert sandbox.grade_file("lab01", tmp_path / "nope.json", learner="a")["status"] == \
        "malformed"
    assert sandbox.grade_file("lab02", path, learner="alice")["status"] == "malformed"
    # an instructor may replay on the id the learner opened the lab with
    other = Lab.open("lab01", "student")
    solution.solve(other)
    p2 = other.save(tmp_path / "s.json").path
    r = sandbox.grade_file("lab01", p2, learner="sam", variant_learner="student")
    assert r["status"] == "graded" and r["score"] == 13 and r["learner"] == "sam"
    assert any("'student'" in f for f in r["flags"])
    shutil.rmtree(tmp_path)
