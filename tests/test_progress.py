"""The progress view: read from saved lab states (replayed, public checks), never trusting them."""

import json

from vmotion_labs import Lab, lab_ids
from vmotion_labs.lab05_troubleshooting.solution import solve as solve05
from vmotion_labs.progress import LAB_MODULES, MSG, progress


def test_empty_folder_shows_nothing_done(tmp_path):
    p = progress([tmp_path], learner="alice")
    assert p.labs_done == 0 and p.labs_total == len(lab_ids())
    assert all(s.status == "none" for s in p.labs)
    assert not any(m.done for m in p.modules)
    assert str(tmp_path) in str(p)


def test_done_open_and_broken_states(tmp_path):
    solve05(Lab.open("lab05", "alice")).save(tmp_path / "lab05-alice.json")
    Lab.open("lab01", "alice").save(tmp_path / "lab01-alice.json")            # untouched
    (tmp_path / "lab03-alice.json").write_text("{not json")
    (tmp_path / "lab02-bob.json").write_text("{}")                           # someone else
    p = progress([tmp_path], learner="alice")
    status = {s.lab_id: s.status for s in p.labs}
    assert status["lab05"] == "done" and status["lab01"] == "open"
    assert status["lab03"] == "bad" and status["lab02"] == "none"
    lab05 = next(s for s in p.labs if s.lab_id == "lab05")
    assert lab05.score == lab05.max_score > 0 and lab05.hidden == 2
    m07 = next(m for m in p.modules if m.number == "07")
    assert m07.done and m07.labs == ("lab05",)
    assert not next(m for m in p.modules if m.number == "05").done
    assert p.labs_done == 1


def test_a_forged_state_is_replayed_not_believed(tmp_path):
    doc = Lab.open("lab05", "alice").submission()
    doc["operations"] = [{"do": "relocate_vm", "args": ["x"], "kwargs": {}}]
    (tmp_path / "lab05-alice.json").write_text(json.dumps(doc))
    s = next(s for s in progress([tmp_path]).labs if s.lab_id == "lab05")
    assert s.status == "bad" and "relocate_vm" in s.why


def test_printable_summary(tmp_path):
    solve05(Lab.open("lab05", "alice")).save(tmp_path / "lab05-alice.json")
    out = progress([tmp_path], learner="alice").save_html(tmp_path / "summary.html")
    text = open(out, encoding="utf-8").read()
    assert text.startswith("<!DOCTYPE html>") and "@media print" in text
    assert MSG["title"] in text and "Learner: alice" in text and str(tmp_path) in text
    assert "<script" not in text


def test_every_lab_maps_to_modules():
    assert set(LAB_MODULES) == set(lab_ids())
