"""What a learner sees of a graded submission: hidden checks only after the lab's deadline.

The grader's report holds every check, hidden ones included. Before the deadline the learner's
view keeps the public results and turns the hidden ones into the "N hidden checks run at grading"
line (the lab API's own wording, :mod:`vmotion_labs.grading.render`); the score shown is the public
one. After the deadline (as the instructor set it on the dashboard) the learner sees everything.
"""

import html

__all__ = ["learner_view", "MESSAGES"]

MESSAGES = {
    "not_graded": "{lab} ({learner}): not graded, status {status}. Reason: {reason}",
    "hidden_later": ("{n} hidden check(s) worth {pts:g} point(s) were graded too; their results "
                     "and points are shown after the lab's deadline{due}."),
    "due": " ({due:%Y-%m-%d %H:%M} UTC)",
    "no_due": " (your instructor has not set one yet)",
}


def learner_view(row, deadline, now):
    """``row`` (a stored submission) as the learner may see it at time ``now``."""
    show_hidden = deadline is not None and now >= deadline
    base = {"id": row["id"], "lab": row["lab"], "status": row["status"],
            "received_at": row["received_at"].strftime("%Y-%m-%d %H:%M:%S"),
            "hidden_shown": show_hidden}
    rep = row.get("report")
    if row["status"] != "graded" or not rep:
        from vmotion_labs.grading.gradebook import ADVICE
        text = MESSAGES["not_graded"].format(lab=row["lab"], learner=row["learner"],
                                             status=row["status"], reason=row["reason"])
        text += ("\n" + ADVICE.get(row["status"], "")).rstrip()
        return {**base, "score": None, "max_score": None, "feedback_text": text,
                "feedback_html": "<p>" + "<br>".join(map(html.escape, text.splitlines())) + "</p>"}
    from vmotion_labs.grading.checks import Report
    results = [r for r in rep["results"] if show_hidden or not r.get("hidden")]
    pending = [] if show_hidden else [[r["id"].split(".", 1)[-1], r["points"], r["category"]]
                                      for r in rep["results"] if r.get("hidden")]
    pending += [p for p in rep.get("pending", []) if p not in pending]
    report = Report.from_dict({**rep, "results": results, "pending": pending})
    text, body = str(report), report._repr_html_()
    if not show_hidden and pending:
        from vmotion_labs.grading.render import hidden_line
        due = MESSAGES["due"].format(due=deadline) if deadline else MESSAGES["no_due"]
        note = MESSAGES["hidden_later"].format(n=len(pending), pts=sum(p[1] for p in pending),
                                               due=due)
        line = hidden_line(report)  # "... run only at grading": here they ran; say when shown
        text = text.replace(line, note) if line in text else text + "\n" + note
        body = body.replace(html.escape(line), html.escape(note)) if html.escape(line) in body \
            else body + f"<p>{html.escape(note)}</p>"
    return {**base, "score": report.score, "max_score": report.max_score,
            "feedback_text": text, "feedback_html": body}
