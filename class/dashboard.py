"""What the instructor dashboard shows, computed from the store (the page only draws it).

- the grid: roster (learners) x labs, each cell the newest submission's status and score, with
  the number of submissions;
- per lab: how many learners submitted, the distribution of scores (five bins of the maximum),
  the deadline;
- the checks that fail most across the class right now (newest graded submission per learner and
  lab, hidden checks included): what to explain next;
- per learner: every submission with its full feedback (drill-down);
- per lab: the CSV in ``vmotion-grade``'s format.
"""

from collections import Counter

__all__ = ["class_overview", "learner_detail", "csv_export", "BINS"]

BINS = ("0-20 %", "20-40 %", "40-60 %", "60-80 %", "80-100 %")


def _bin(score, max_score):
    if not max_score:
        return 0
    return min(int(5 * score / max_score), 4)


def class_overview(cls):
    store, labs = cls.store, cls.labs
    learners = cls.learners()
    names = {m["username"] for m in learners}
    latest = [r for r in store.latest() if r["learner"] in names]
    counts = store.counts()
    deadlines = store.deadlines()
    cells = {m["username"]: {} for m in learners}
    dist = {lab: [0] * len(BINS) for lab in labs}
    failing, seen = Counter(), Counter()
    titles = {}
    for r in latest:
        cells[r["learner"]][r["lab"]] = {
            "id": r["id"], "status": r["status"], "score": r["score"],
            "max_score": r["max_score"], "count": counts.get((r["learner"], r["lab"]), 0),
            "received_at": r["received_at"].strftime("%H:%M:%S")}
        if r["status"] == "graded" and r["report"]:
            dist[r["lab"]][_bin(r["score"], r["max_score"])] += 1
            for c in r["report"]["results"]:
                seen[c["id"]] += 1
                titles[c["id"]] = (c["title"], c.get("hidden", False))
                if not c["passed"]:
                    failing[c["id"]] += 1
    from vmotion_labs.grading.lab import lab_spec
    lab_rows = [{"id": lab, "title": lab_spec(lab).title,
                 "submitted": sum(1 for n in cells if lab in cells[n]), "distribution": dist[lab],
                 "due_at": f"{deadlines[lab]:%Y-%m-%dT%H:%MZ}" if deadlines.get(lab) else None}
                for lab in labs]
    top = [{"check": cid, "title": titles[cid][0], "hidden": titles[cid][1], "failed": n,
            "of": seen[cid]} for cid, n in failing.most_common(8)]
    return {"learners": [{"username": m["username"], "name": m.get("name", "")}
                         for m in learners],
            "labs": lab_rows, "bins": BINS, "cells": cells, "failing": top,
            "grading_now": cls.grading_now,
            "submissions": sum(counts.values())}


def learner_detail(cls, name):
    """Every submission of ``name``, newest first, with the full (instructor) feedback."""
    from vmotion_labs.grading.checks import Report
    out = []
    for r in cls.store.history(name):
        rep = r["report"]
        body = Report.from_dict(rep)._repr_html_() if rep else ""
        out.append({"id": r["id"], "lab": r["lab"], "status": r["status"], "score": r["score"],
                    "max_score": r["max_score"], "reason": r["reason"], "flags": r["flags"],
                    "received_at": r["received_at"].strftime("%Y-%m-%d %H:%M:%S"),
                    "grade_ms": r["grade_ms"], "feedback_html": body})
    m = cls.members[name]
    return {"username": name, "name": m.get("name", ""), "role": m["role"], "submissions": out}


def csv_export(cls, lab):
    """The lab's CSV exactly as ``vmotion-grade`` writes it (newest submission per learner)."""
    from vmotion_labs.grading.batch import flag_shared_work
    from vmotion_labs.grading.gradebook import lab_csv_text
    rows = []
    for r in sorted(cls.store.latest(lab), key=lambda r: r["learner"]):
        if r["learner"] not in cls.members:
            continue
        rows.append({**r, "submission": f"class submission #{r['id']} "
                                        f"{r['received_at']:%Y-%m-%dT%H:%M:%SZ}"})
    flag_shared_work(rows, {m.lower() for m in cls.members})
    return lab_csv_text(lab, rows)
