"""Integration test: a real class on loopback, driven as its members drive it.

The hub (with configurable-http-proxy and the class service) starts from a roster of three
learners and an instructor; each learner's server is spawned as their own system account and runs
lab01 from their own home in its own kernel (one good, one partial, one untouched) and submits
with ``lab.submit()``. Then the instructor's API and CSV are checked, and the security cases:
learners cannot read each other's files, reach the dashboard or its API, submit as someone else,
or get oversized/malformed submissions in; the hub's secrets are private and not in the repo.
"""

import csv
import io
import json
import pwd
import re
import sqlite3
import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests
from hubclass import (GOOD, PARTIAL, ROOT, ClassUnderTest, Member, require_class_host,
                      run_lab01)

MEMBERS = [("ann", "learner"), ("ben", "learner"), ("cat", "learner"), ("mia", "instructor")]


@pytest.fixture(scope="module")
def klass(tmp_path_factory):
    require_class_host()
    c = ClassUnderTest(tmp_path_factory.mktemp("class"), MEMBERS)
    try:
        c.start()
        pw = c.passwords()
        c.m = {short: Member(c, c.user(short), pw[c.user(short)]).login() for short, _ in MEMBERS}
        for m in c.m.values():
            m.make_token()
        c.results = {}
        with ThreadPoolExecutor(3) as pool:           # the three servers start together
            list(pool.map(lambda short: c.m[short].spawn(), ("ann", "ben", "cat")))
        for short, work in (("ann", GOOD), ("ben", PARTIAL), ("cat", None)):
            c.results[short] = run_lab01(c.m[short], work)
        yield c
    finally:
        c.close()


def svc(klass, who, path, method="GET", **kw):
    return requests.request(method, f"{klass.url}/services/class/{path}",
                            headers=klass.m[who].auth(), timeout=60, **kw)


def score_of(text):
    """(points, public maximum) from the summary line, "lab01 (x): 7/10 public points of ..."."""
    m = re.search(r"\): ([\d.]+)/([\d.]+) (?:public )?points", text)
    return float(m.group(1)), float(m.group(2))


def test_learners_get_feedback_in_their_own_kernel(klass):
    ann, ben, cat = (score_of(klass.results[k][0]) for k in ("ann", "ben", "cat"))
    assert ann[0] == ann[1] > 0                  # good: every public check
    assert 0 < ben[0] < ben[1]                   # partial
    assert cat[0] < ben[0]                       # untouched
    html = klass.results["ann"][1][-1]["text/html"]
    assert "Handed in lab01" in html and "hidden check(s)" in html
    assert "(hidden)" not in klass.results["ann"][0]  # no deadline yet: hidden results withheld


def test_lab_notebook_is_personalised_and_identity_is_the_hub_user(klass):
    nb = klass.m["ben"].notebook("labs/lab01.ipynb")
    src = "".join("".join(c["source"]) for c in nb["cells"])
    assert f'LEARNER = "{klass.user("ben")}"' in src


def test_dashboard_api_grid_distribution_failing(klass):
    d = svc(klass, "mia", "api/class").json()
    assert {m["username"] for m in d["learners"]} == {klass.user(k) for k in ("ann", "ben", "cat")}
    cells = {k: d["cells"][klass.user(k)]["lab01"] for k in ("ann", "ben", "cat")}
    assert all(c["status"] == "graded" for c in cells.values())
    assert cells["ann"]["score"] == cells["ann"]["max_score"]      # hidden checks included
    assert cells["cat"]["score"] < cells["ben"]["score"] < cells["ann"]["score"]
    lab01 = next(l for l in d["labs"] if l["id"] == "lab01")
    assert lab01["submitted"] == 3 and sum(lab01["distribution"]) == 3
    assert lab01["distribution"][-1] >= 1                          # ann in the top bin
    top = {f["check"]: f for f in d["failing"]}
    assert top["lab01.q3"]["failed"] == 2 and top["lab01.q3"]["of"] == 3  # ben and cat


def test_csv_matches_vmotion_grade(klass, tmp_path):
    r = svc(klass, "mia", "api/labs/lab01/grades.csv")
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("text/csv")
    ours = list(csv.reader(io.StringIO(r.text)))
    # the same documents through vmotion-grade (the instructor's offline tool)
    db = sqlite3.connect(klass.state / "service" / "class.sqlite")
    for learner, doc in db.execute("SELECT learner, document FROM submissions WHERE lab='lab01' "
                                   "ORDER BY id"):
        (tmp_path / f"lab01-{learner}.json").write_text(doc)
    db.close()
    out = tmp_path / "grades.csv"
    secret = json.loads((klass.state / "hub" / "secrets.json").read_text())["course_secret"]
    proc = subprocess.run([str(ROOT / ".venv" / "bin" / "vmotion-grade"), "lab01", str(tmp_path),
                           "--csv", str(out), "--quiet", f"--course={secret}"],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    theirs = list(csv.reader(out.open()))
    assert ours[0] == theirs[0]                                    # same columns
    # same grades; only where each came from differs (the submission and other_files columns)
    assert [row[:-2] for row in ours[1:]] == [row[:-2] for row in theirs[1:]]


def test_every_submission_kept_and_deadline_reveals_hidden(klass):
    ann = klass.user("ann")
    k = klass.m["ann"]
    run_lab01(k, GOOD)                                             # a second submission
    d = svc(klass, "mia", "api/class").json()
    assert d["cells"][ann]["lab01"]["count"] >= 2
    hist = svc(klass, "mia", f"api/learners/{ann}").json()["submissions"]
    assert len([s for s in hist if s["lab"] == "lab01"]) >= 2
    assert "(hidden)" in hist[0]["feedback_html"]                  # instructors see everything
    before = svc(klass, "ann", "api/me").json()["submissions"][0]
    assert not before["hidden_shown"] and "(hidden)" not in before["feedback_text"]
    r = svc(klass, "mia", "api/labs/lab01/deadline", "PUT",
            json={"due_at": "2020-01-01T00:00:00Z"})
    assert r.status_code == 200, r.text
    after = svc(klass, "ann", "api/me").json()["submissions"][0]
    assert after["hidden_shown"] and "(hidden)" in after["feedback_text"]
    bad = svc(klass, "mia", "api/labs/lab01/deadline", "PUT", json={"due_at": "soon"})
    assert bad.status_code == 400 and "due_at" in bad.json()["error"]


@pytest.mark.parametrize("path,method", [("api/class", "GET"), ("api/learners/{ben}", "GET"),
                                         ("api/labs/lab01/grades.csv", "GET"),
                                         ("api/labs/lab01/deadline", "PUT")])
def test_learners_cannot_reach_the_dashboard_api(klass, path, method):
    r = svc(klass, "ann", path.format(ben=klass.user("ben")), method, json={"due_at": None})
    assert r.status_code == 403 and "instructors" in r.json()["error"]


def test_learners_cannot_open_the_dashboard_page(klass):
    r = klass.m["ann"].s.get(f"{klass.url}/services/class/dashboard", timeout=60)
    assert r.status_code == 403
    r = klass.m["mia"].s.get(f"{klass.url}/services/class/dashboard", timeout=60)
    assert r.status_code == 200 and "Class dashboard" in r.text


def test_learners_cannot_read_each_others_files_or_servers(klass):
    ben_home = pwd.getpwnam(klass.user("ben")).pw_dir
    k = klass.m["ann"].kernel()
    try:
        for code in (f"import os; os.listdir({ben_home!r})",
                     f"open({ben_home + '/vmotion-workshop/labs/lab01.ipynb'!r}).read()",
                     f"open({str(klass.state / 'hub' / 'secrets.json')!r}).read()",
                     f"open({str(klass.state / 'service' / 'class.sqlite')!r}, 'rb').read()"):
            _, err, _ = k.run(code)
            assert err and err.startswith("PermissionError"), (code, err)
        _, err, _ = k.run("import vmotion_labs.lab01_vmotion_network.solution")
        assert err and err.startswith("ModuleNotFoundError")      # learner edition only
    finally:
        k.close()
    r = requests.get(klass.m["ben"].server("contents").replace(klass.user("ben"),
                     klass.user("ben")), headers=klass.m["ann"].auth(), timeout=30)
    assert r.status_code in (403, 404)


def test_cannot_submit_as_someone_else(klass):
    ann, ben = klass.user("ann"), klass.user("ben")
    before = svc(klass, "mia", "api/class").json()["cells"][ben]["lab01"]
    k = klass.m["ann"].kernel()
    try:
        # a document made for ben, handed in with ann's server token: graded as ann's, refused
        text, err, _ = k.run(f"from vmotion_labs import Lab\nfrom vmotion_labs.grading.submit "
                             f"import submit, Submission\nother = Lab.open('lab01', "
                             f"learner={ben!r})\nprint(submit(other))\n"
                             f"import os, json, urllib.request\n"
                             f"from vmotion_labs.grading.submit import document\n"
                             f"req = urllib.request.Request(os.environ['VMOTION_CLASS_URL'] + "
                             f"'api/submissions', data=json.dumps({{'lab': 'lab01', 'submission':"
                             f" document(other)}}).encode(), headers={{'Authorization': 'token ' "
                             f"+ os.environ['JUPYTERHUB_API_TOKEN']}}, method='POST')\n"
                             f"print(json.loads(urllib.request.urlopen(req).read())['status'])")
    finally:
        k.close()
    assert err is None, err
    assert "opened for learner" in text                 # lab.submit() says why, no traceback
    # graded as ann's own work on ann's variant (the document's name counts for nothing)
    assert text.strip().splitlines()[-1] == "graded"
    after = svc(klass, "mia", "api/class").json()["cells"]
    assert after[ben]["lab01"] == before                # ben's row did not change
    assert after[ann]["lab01"]["status"] == "graded"   # kept, under ann's name
    for headers in ({}, {"Authorization": "token not-a-real-token"}):
        r = requests.post(f"{klass.url}/services/class/api/submissions", headers=headers,
                          json={"lab": "lab01", "submission": {}}, timeout=30)
        assert r.status_code in (401, 403)


@pytest.mark.parametrize("body,status,words", [
    (b"x" * (2 * 2**20), 413, "at most"),
    (b"{not json", 400, "not JSON"),
    (b'{"lab": "lab99", "submission": {}}', 400, "known: lab01"),
    (b'{"lab": "lab01", "submission": "text"}', 400, "'submission'"),
    (b"[1, 2]", 400, "JSON object"),
])
def test_bad_submissions_refused_clearly(klass, body, status, words):
    r = requests.post(f"{klass.url}/services/class/api/submissions", data=body,
                      headers={**klass.m["cat"].auth(), "Content-Type": "application/json"},
                      timeout=60)
    assert r.status_code == status
    assert words in r.json()["error"]


def test_secrets_generated_private_and_not_committed(klass):
    hub = klass.state / "hub"
    assert oct(hub.stat().st_mode & 0o777) == "0o700"
    for name in ("secrets.json", "jupyterhub_cookie_secret", "initial-passwords.csv"):
        assert oct((hub / name).stat().st_mode & 0o777) == "0o600", name
    tracked = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True).stdout
    assert "cookie_secret" not in tracked and "secrets.json" not in tracked
    assert json.loads((hub / "secrets.json").read_text())["course_secret"] not in \
        Path(ROOT / "class" / "jupyterhub_config.py").read_text()


def test_learner_page_shows_only_their_own_submissions(klass):
    r = klass.m["ben"].s.get(f"{klass.url}/services/class/", timeout=60)
    assert r.status_code == 200 and f"Your submissions, {klass.user('ben')}" in r.text
    assert "lab01 #" in r.text and klass.user("ann") not in r.text
    me = svc(klass, "ben", "api/me").json()
    assert me["learner"] == klass.user("ben") and me["submissions"]
    r = klass.m["mia"].s.get(f"{klass.url}/services/class/", timeout=60, allow_redirects=False)
    assert r.status_code == 302 and r.headers["Location"].endswith("/dashboard")
