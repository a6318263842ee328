"""``vmotion-grade``: grade a class folder of lab submissions into one CSV and feedback files.

Usage::

    vmotion-grade lab01 submissions/ --csv grades.csv --feedback feedback/ [--secret S]
                  [--timeout 60] [--jobs 1]

SUBMISSIONS are lab-state files (``*.json``) and executed notebooks (``*.ipynb``), or folders of
them. Notebooks are *not* re-executed: the grader extracts the last state the notebook's
``lab.save()`` cell displayed (see :mod:`vmotion_labs.grading.state`), so no learner code runs.

Every submission is graded in its own Python process with a timeout. A submission that is
malformed, forged, from another version, crashes the grader or runs past the timeout gets a CSV
row with its status and reason, and the batch goes on. There is one row per learner (the newest
submission counts; the reason column says when a learner handed in more than one). The CSV is
written atomically; feedback goes to ``DIR/<learner>.txt`` and ``DIR/<learner>.html``.
"""

import argparse
import csv
import html
import io
import json
import math
import os
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from tqdm import tqdm

from vmotion_core.errors import UsageError, VMotionError

from .lab import lab_spec
from .state import read_submission, write_atomic
from .variants import SECRET_ENV, check_learner_id, course_secret

__all__ = ["main", "grade_batch", "collect_submissions", "STATUSES"]

STATUSES = ("graded", "malformed", "forged", "version", "crashed", "timeout")
_ADVICE = {
    "malformed": "The file could not be read as a lab state. Open the lab, run lab.save() and "
                 "hand in the file it writes (or the executed notebook).",
    "forged": "The file does not match your variant of the lab. Hand in the file lab.save() "
              "wrote for you, unedited.",
    "version": "The file was made with another version of the lab. Re-open the lab with the "
               "course's current version, redo the steps and save again.",
    "crashed": "The grader could not process this submission. Your instructor has been told.",
    "timeout": "Grading this submission did not finish in time. Your instructor has been told.",
}


def collect_submissions(paths):
    """Expand files and folders into a sorted list of ``.json`` / ``.ipynb`` files."""
    found = []
    for p in map(Path, paths):
        if p.is_dir():
            found += [f for f in sorted(p.rglob("*")) if f.suffix in (".json", ".ipynb")
                      and f.is_file() and not any(part.startswith(".") for part in
                                                  f.relative_to(p).parts)]
        else:
            found.append(p)
    return found


def _peek_learner(path):
    """The learner id inside a submission, or one guessed from the file name."""
    try:
        learner = read_submission(path)["learner"]
        return check_learner_id(learner)
    except Exception:
        stem = re.sub(r"^lab\d\d[-_]", "", Path(path).stem)
        return re.sub(r"[^A-Za-z0-9._@+-]", "_", stem) or "unknown"


def _grade_in_process(lab_id, path, timeout_s, secret):
    env = {**os.environ, SECRET_ENV: secret, "PYTHONHASHSEED": "0"}
    cmd = [sys.executable, "-m", "vmotion_labs.grading._worker", lab_id, str(path)]
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout_s, env=env)
    except subprocess.TimeoutExpired:
        return {"status": "timeout", "learner": None,
                "reason": f"grading did not finish within {timeout_s:g} s (looping submission?)"}
    lines = [ln for ln in proc.stdout.splitlines() if ln.startswith("{")]
    if proc.returncode != 0 or not lines:
        tail = (proc.stderr.strip().splitlines() or ["no output"])[-1][:200]
        return {"status": "crashed", "learner": None,
                "reason": f"grading process died (exit code {proc.returncode}): {tail}"}
    try:
        return json.loads(lines[-1])
    except ValueError:
        return {"status": "crashed", "learner": None, "reason": "grading process gave bad output"}


def grade_batch(lab_id, paths, timeout_s=60.0, jobs=1, secret=None, progress=True):
    """Grade ``paths``; return one result dict per learner (sorted by learner id)."""
    secret = course_secret(secret)
    subs = collect_submissions(paths)
    results = []
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool, \
            tqdm(total=len(subs), desc=f"grading {lab_id}", unit="submission",
                 file=sys.stderr, disable=not progress) as bar:
        futures = [(p, pool.submit(_grade_in_process, lab_id, p, timeout_s, secret)) for p in subs]
        for path, fut in futures:
            out = fut.result()
            out["learner"] = out.get("learner") or _peek_learner(path)
            out["submission"] = str(path)
            out["mtime"] = path.stat().st_mtime if path.exists() else 0.0
            results.append(out)
            bar.update(1)
    by_learner = {}
    for r in results:
        by_learner.setdefault(r["learner"], []).append(r)
    rows = []
    for learner in sorted(by_learner):
        group = sorted(by_learner[learner], key=lambda r: (r["mtime"], r["submission"]))
        chosen = dict(group[-1])
        if len(group) > 1:
            others = ", ".join(Path(r["submission"]).name for r in group[:-1])
            note = f"{len(group)} submissions; graded the newest (also: {others})"
            chosen["reason"] = f"{chosen['reason']}; {note}" if chosen["reason"] else note
        rows.append(chosen)
    return rows


def _csv_text(lab_id, rows):
    spec = lab_spec(lab_id)
    ids = [c.qualified_id for c in spec.checks]
    ids += [f"{lab_id}.{h[0]}" for h in spec.hidden if f"{lab_id}.{h[0]}" not in ids]
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["learner", "status", "score", "max_score", *ids, "reason", "submission"])
    for r in rows:
        rep = r.get("report")
        if rep:
            pts = {c["id"]: c["points_awarded"] for c in rep["results"]}
            w.writerow([r["learner"], r["status"], f"{rep['score']:g}", f"{rep['max_score']:g}",
                        *[f"{pts[i]:g}" if i in pts else "" for i in ids], r["reason"],
                        r["submission"]])
        else:
            w.writerow([r["learner"], r["status"], "0", "", *[""] * len(ids), r["reason"],
                        r["submission"]])
    return buf.getvalue()


def _write_feedback(folder, lab_id, rows):
    folder = Path(folder)
    for r in rows:
        name = re.sub(r"[^A-Za-z0-9._@+-]", "_", r["learner"])
        if r["status"] == "graded":
            text, body = r["text"], r["html"]
        else:
            text = (f"{lab_id} ({r['learner']}): not graded, status {r['status']}\n"
                    f"Reason: {r['reason']}\n{_ADVICE.get(r['status'], '')}")
            body = "<br>".join(html.escape(line) for line in text.splitlines())
        write_atomic(folder / f"{name}.txt", text + "\n")
        write_atomic(folder / f"{name}.html", f"<!doctype html><html lang='en'><meta "
                     f"charset='utf-8'><title>{html.escape(lab_id)} feedback for "
                     f"{html.escape(r['learner'])}</title><body>{body}</body></html>\n")


class _Parser(argparse.ArgumentParser):
    """argparse that reports a bad flag as one ``error: ...`` line (exit 2), not usage + error."""

    def error(self, message):
        raise UsageError(f"{self.prog}: {message}")


def _check_output(flag, value, folder):
    """Fail before grading (which takes minutes) if ``value`` cannot become the file/folder."""
    if not value.strip():
        raise UsageError(f"{flag}: give a {'folder' if folder else 'file'} name")
    path = Path(value)
    if path.exists() and path.is_dir() != folder:
        raise UsageError(f"{flag}: {value!r} is a {'file' if folder else 'folder'}; give a "
                         + ("folder for the feedback files" if folder else "CSV file name"))
    parent = next((p for p in path.absolute().parents if p.exists()), None)
    if parent is not None and not parent.is_dir():
        raise UsageError(f"{flag}: {str(parent)!r} is a file, not a folder")
    if parent is not None and not os.access(parent, os.W_OK | os.X_OK):
        raise UsageError(f"{flag}: no permission to write in {str(parent)!r}")


def _check_args(args):
    if not math.isfinite(args.timeout) or not 0 < args.timeout <= 86400:
        raise UsageError(f"--timeout: must be between 0 and 86400 seconds (a day), "
                         f"got {args.timeout:g}")
    if not 1 <= args.jobs <= 256:
        raise UsageError(f"--jobs: must be a whole number between 1 and 256, got {args.jobs}")
    if args.secret is not None and not args.secret:
        raise UsageError(f"--secret: must not be empty (leave it out to use ${SECRET_ENV} or "
                         "the public default)")
    missing = [s for s in args.submissions if not Path(s).exists()]
    if missing:
        raise UsageError(f"SUBMISSIONS: not found: {', '.join(map(repr, missing[:3]))}"
                         + (f" and {len(missing) - 3} more" if len(missing) > 3 else "")
                         + " (give lab-state files, executed notebooks or folders of them)")
    _check_output("--csv", args.csv, folder=False)
    if args.feedback is not None:
        _check_output("--feedback", args.feedback, folder=True)


def build_parser():
    p = _Parser(prog="vmotion-grade", description="Grade lab submissions "
                                "(lab-state files or executed notebooks) into a CSV.")
    p.add_argument("lab", help="lab id, e.g. lab01")
    p.add_argument("submissions", nargs="+", help="lab-state files, notebooks or folders")
    p.add_argument("--csv", required=True, help="CSV file to write (atomically)")
    p.add_argument("--feedback", help="folder for per-learner feedback files")
    p.add_argument("--secret", help=f"course secret (default: ${SECRET_ENV} or the public one)")
    p.add_argument("--timeout", type=float, default=60.0, help="seconds per submission (60)")
    p.add_argument("--jobs", type=int, default=1, help="submissions graded in parallel (1)")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    return p


def main(argv=None):
    """Entry point of ``vmotion-grade``; returns 0 when the batch ran, 2 on a usage error."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help
        return int(exc.code or 0)
    except UsageError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    try:
        lab_spec(args.lab)
        _check_args(args)
        rows = grade_batch(args.lab, args.submissions, args.timeout, args.jobs, args.secret,
                           progress=not args.quiet)
        if not rows:
            raise UsageError("no submissions found (expected .json lab states or .ipynb notebooks)")
        flag = "--csv"
        write_atomic(args.csv, _csv_text(args.lab, rows))
        if args.feedback:
            flag = "--feedback"
            _write_feedback(args.feedback, args.lab, rows)
    except VMotionError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:  # the disk refused a write: say which output, keep what is written
        done = f"; the CSV was written to {args.csv}" if flag == "--feedback" else ""
        print(f"error: {flag}: cannot write {exc.filename or ''}: {exc.strerror or exc}{done}",
              file=sys.stderr)
        return 2
    counts = {s: sum(r["status"] == s for r in rows) for s in STATUSES}
    print(f"{len(rows)} learner(s): " + ", ".join(f"{n} {s}" for s, n in counts.items() if n)
          + f"; CSV written to {args.csv}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
