"""``lab.submit()``: hand a lab in to the class service on JupyterHub, and the ONE adapter
between the class (``vmotion_class``) and the grader.

On a class hub (``bash scripts/class.sh``) each learner server has ``$VMOTION_CLASS_URL`` (the
class service) and ``$JUPYTERHUB_API_TOKEN`` (the server's own hub token). :func:`submit` posts
the lab's submission document with that token; the service asks the hub whose token it is, so the
identity is the hub user and never a field of the document. The service grades at once and the
answer is the learner's feedback, shown in the notebook.

Adapter (the grader's narrow entry points): :func:`document` is ``lab.submission()`` and
:func:`grade_file` is :func:`vmotion_labs.grading.sandbox.grade_file`.
"""

import json
import os
import urllib.error
import urllib.request

from . import sandbox

__all__ = ["submit", "document", "grade_file", "Submission", "MESSAGES"]

MESSAGES = {
    "no_hub": ("lab.submit() hands a lab in on the class hub (JupyterHub) and this server is not "
               "one. Save your work with lab.save() and hand in the file it writes."),
    "other_learner": ("this lab was opened for learner {lab!r}, but you are signed in to the hub "
                      "as {user!r}. Open it as Lab.open({lab_id!r}, learner={user!r}), redo the "
                      "steps and submit again."),
    "unreachable": "the class service did not answer ({err}). Try again in a minute; your work "
                   "is still here (lab.save() keeps a copy).",
    "refused": "the class service refused the submission: {err}",
    "ok_head": "Handed in {lab} as submission #{id} at {at} (UTC).",
    "not_ok": "Not handed in: {reason}",
}


def document(lab):
    """The JSON document ``lab.save()`` writes (what a submission carries)."""
    return lab.submission()


def grade_file(lab_id, path, *, learner, timeout_s=60):
    """Grade the submission at ``path`` as ``learner``'s in the sandboxed grader; return its
    result dict (``status``, ``learner``, ``reason``, ``score``, ``max_score``, ``report``,
    ``text``, ``html``). Never raises for a bad submission."""
    return sandbox.grade_file(lab_id, path, learner=learner, timeout_s=timeout_s)


class Submission:
    """What ``lab.submit()`` returns: the service's answer, shown as the learner's feedback."""

    def __init__(self, ok, answer=None, error=""):
        self.ok, self.answer, self.error = ok, answer or {}, error

    @property
    def status(self):
        return self.answer.get("status", "not submitted")

    def __str__(self):
        if not self.ok:
            return MESSAGES["not_ok"].format(reason=self.error)
        a = self.answer
        return (MESSAGES["ok_head"].format(lab=a["lab"], id=a["id"], at=a["received_at"])
                + "\n" + a.get("feedback_text", ""))

    __repr__ = __str__

    def _repr_html_(self):
        import html
        if not self.ok:
            return f"<p><strong>{html.escape(str(self))}</strong></p>"
        a = self.answer
        head = MESSAGES["ok_head"].format(lab=a["lab"], id=a["id"], at=a["received_at"])
        return f"<p><strong>{html.escape(head)}</strong></p>{a.get('feedback_html', '')}"


def submit(lab, url=None, token=None, timeout_s=180):
    """Hand ``lab`` in to the class service; return a :class:`Submission` (never raises)."""
    url = url or os.environ.get("VMOTION_CLASS_URL")
    token = token or os.environ.get("JUPYTERHUB_API_TOKEN")
    user = os.environ.get("JUPYTERHUB_USER")
    if not url or not token:
        return Submission(False, error=MESSAGES["no_hub"])
    if user and lab.learner != user:
        return Submission(False, error=MESSAGES["other_learner"].format(
            lab=lab.learner, user=user, lab_id=lab.lab_id))
    body = json.dumps({"lab": lab.lab_id, "submission": document(lab)}).encode()
    req = urllib.request.Request(url.rstrip("/") + "/api/submissions", data=body, method="POST",
                                 headers={"Authorization": f"token {token}",
                                          "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=timeout_s) as resp:
            return Submission(True, json.loads(resp.read()))
    except urllib.error.HTTPError as exc:
        try:
            err = json.loads(exc.read()).get("error", exc.reason)
        except ValueError:
            err = exc.reason
        return Submission(False, error=MESSAGES["refused"].format(err=err))
    except (urllib.error.URLError, OSError, ValueError) as exc:
        return Submission(False, error=MESSAGES["unreachable"].format(
            err=getattr(exc, "reason", exc)))
