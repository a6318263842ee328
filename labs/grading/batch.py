"""``vmotion-grade``: grade a class's hand-ins of one lab into one CSV and feedback files.

Usage::

    vmotion-grade lab01 submissions/ --csv grades.csv [--feedback DIR] [--roster roster.csv]
                  [--course KEY] [--trust-file-learner ID ...] [--timeout 60] [--jobs 2]
                  [--quiet]

SUBMISSIONS are hand-in files (``lab.save()``'s ``.json``, executed ``.ipynb`` notebooks; any
letter case, also with an added ``.txt``) or folders of them, as an LMS download lays them out.
Whose hand-in a file is comes from its file or folder name or from the roster
(:mod:`vmotion_labs.grading.identity`), never from inside the file. Each hand-in is graded in a
sandboxed worker (:func:`vmotion_labs.grading.sandbox.grade_file`) that replays its operations
on that learner's variant; a hand-in that fails, hits a limit or hangs gets a row with the
reason and the batch goes on. Every file given appears in the CSV (graded, or listed with why
not); with a roster, every rostered learner has a row (``missing`` when nothing came in). The CSV
format is documented in :mod:`vmotion_labs.grading.gradebook`; it is written atomically.
Feedback goes to ``DIR/<learner id>.txt`` and ``.html`` (ids made safe for file names); one
learner's feedback failing to write never stops the others'.
"""

import argparse
import math
import os
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from tqdm import tqdm

from vmotion_core.errors import UsageError, VMotionError

from . import identity
from .gradebook import ADVICE, STATUSES, lab_csv_text
from .lab import lab_spec
from .sandbox import grade_file
from .state import write_atomic
from .variants import COURSE_ENV, course_key

__all__ = ["main", "grade_batch", "collect_files", "STATUSES"]

MAX_FILES = 20_000


def collect_files(paths):
    """Every file under ``paths`` as ``(path, path relative to what was given)``, sorted."""
    found = []
    for p in map(Path, paths):
        if p.is_dir():
            files = sorted(f for f in p.rglob("*") if f.is_symlink() or not f.is_dir())
            found += [(f, f.relative_to(p).as_posix()) for f in files]
        else:
            found.append((p, p.name))
        if len(found) > MAX_FILES:
            raise UsageError(f"SUBMISSIONS: more than {MAX_FILES} files; give one lab's folder")
    return found


def _mtime(path):
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0


def _assign(files, roster):
    """Group files by learner: ``{learner id: {"display_name", "files": [(path, rel)]}}`` and
    the list of ``(path, rel, why)`` that belong to nobody."""
    groups, nobody = {}, []
    if roster is not None:
        for e in roster:
            groups[e.learner] = {"display_name": e.display_name, "files": []}
        for path, rel in files:
            hits = identity.match_roster(roster, rel, identity.name_from_path(rel))
            if len(hits) == 1:
                groups[hits[0].learner]["files"].append((path, rel))
            else:
                why = ("matches no learner of the roster" if not hits else
                       f"matches {len(hits)} learners of the roster: "
                       f"{', '.join(h.learner for h in hits[:3])}")
                nobody.append((path, rel, why))
        return groups, nobody
    by_name = {}
    for path, rel in files:
        if rel.startswith("__MACOSX/") or path.name.startswith("._"):
            nobody.append((path, rel, "macOS archive metadata, not a hand-in"))
            continue
        name = identity.name_from_path(rel)
        if not identity.is_submission(path) and "/" not in rel:
            nobody.append((path, rel, "not a .json or .ipynb hand-in"))
            continue
        if not name:
            nobody.append((path, rel, "its name does not say whose it is"))
            continue
        by_name.setdefault(name.casefold(), (name, []))[1].append((path, rel))
    ids = identity.unique_ids([name for name, _ in by_name.values()])
    for name, group in by_name.values():
        groups[ids[name]] = {"display_name": name if ids[name] != name else "",
                             "files": group}
    return groups, nobody


def _plan(groups):
    """Per learner: the hand-in to grade (the newest) and what happens to their other files."""
    jobs, rows = [], {}
    for learner, g in groups.items():
        subs = [f for f in g["files"] if identity.is_submission(f[0])]
        others = [f"{rel} (skipped: not a .json or .ipynb hand-in)" for p, rel in g["files"]
                  if not identity.is_submission(p)]
        row = {"learner": learner, "display_name": g["display_name"], "flags": [],
               "reason": "", "submission": "", "other_files": others}
        if subs:
            subs.sort(key=lambda f: (_mtime(f[0]), f[1]))
            chosen = subs[-1]
            row["submission"] = chosen[1]
            row["other_files"] = [f"{rel} (older hand-in)" for _, rel in subs[:-1]] + others
            if len(subs) > 1:
                row["flags"].append(f"{len(subs)} hand-ins; graded the newest")
            jobs.append((learner, chosen[0]))
        elif g["files"]:
            row.update(status="skipped", reason="no .json or .ipynb hand-in among the files")
        else:
            row.update(status="missing", reason="nothing handed in")
        rows[learner] = row
    return jobs, rows


def flag_shared_work(rows, learners):
    """Flag identical operation logs and files that name another learner of this class."""
    by_digest = {}
    for r in rows:
        if r.get("ops_digest") and r.get("operations"):
            by_digest.setdefault(r["ops_digest"], []).append(r["learner"])
    for r in rows:
        same = [x for x in by_digest.get(r.get("ops_digest"), ()) if x != r["learner"]]
        if same and r.get("operations"):
            r["flags"].append(f"same operation log as {', '.join(same[:5])}")
        inner = r.get("file_learner")
        if inner and inner != r["learner"] and inner.lower() in learners:
            r["flags"] = [f for f in r["flags"] if not f.startswith("file names learner")]
            r["flags"].append(f"file names learner {inner!r}, another learner of this class")


def grade_batch(lab_id, paths, timeout_s=60.0, jobs=1, course=None, progress=True,
                roster=None, trust_file_learner=()):
    """Grade everything under ``paths``; return the rows (see :mod:`.gradebook`), sorted by
    learner id, then one row per file that belongs to nobody. Learners in
    ``trust_file_learner`` are replayed on the variant their file names (still flagged)."""
    course = course_key(course)
    groups, nobody = _assign(collect_files(paths), roster)
    work, rows = _plan(groups)
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool, \
            tqdm(total=len(work), desc=f"grading {lab_id}", unit="hand-in", file=sys.stderr,
                 disable=not progress) as bar:
        trusted = {t.lower() for t in trust_file_learner}
        futures = [(learner, pool.submit(grade_file, lab_id, path, learner=learner,
                                         timeout_s=timeout_s, course=course,
                                         trust_file_learner=learner.lower() in trusted))
                   for learner, path in work]
        for learner, fut in futures:
            res = fut.result()
            row = rows[learner]
            flags = row["flags"] + list(res.get("flags") or [])
            row.update(res)
            row["flags"] = flags
            bar.update(1)
    out = [rows[k] for k in sorted(rows, key=str.lower)]
    flag_shared_work(out, {k.lower() for k in rows})
    for path, rel, why in nobody:
        kind = "unmatched" if roster is not None else "skipped"
        out.append({"learner": "", "display_name": "", "status": kind, "flags": [],
                    "reason": f"{rel}: {why}", "submission": rel, "other_files": []})
    return out


def _feedback(lab_id, r):
    if r["status"] == "graded":
        return r["text"], r["html"]
    text = (f"{lab_id} ({r['learner']}): not graded, status {r['status']}\n"
            f"Reason: {r['reason']}\n{ADVICE.get(r['status'], '')}")
    body = "<br>".join(line.replace("&", "&amp;").replace("<", "&lt;")
                       for line in text.splitlines())
    return text, body


def _write_feedback(folder, lab_id, rows):
    """Write every learner's feedback; return the failures (one never stops the others)."""
    import html
    folder, failed = Path(folder), []
    for r in rows:
        if not r["learner"]:
            continue
        name = identity.safe_id(r["learner"])
        text, body = _feedback(lab_id, r)
        try:
            write_atomic(folder / f"{name}.txt", text + "\n")
            write_atomic(folder / f"{name}.html", f"<!doctype html><html lang='en'><meta "
                         f"charset='utf-8'><title>{html.escape(lab_id)} feedback for "
                         f"{html.escape(r['learner'])}</title><body>{body}</body></html>\n")
        except OSError as exc:
            failed.append((name, exc))
    return failed


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
    if args.course is not None and not args.course:
        raise UsageError(f"--course: must not be empty (leave it out to use ${COURSE_ENV} or "
                         "the public default)")
    missing = [s for s in args.submissions if not Path(s).exists()]
    if missing:
        raise UsageError(f"SUBMISSIONS: not found: {', '.join(map(repr, missing[:3]))}"
                         + (f" and {len(missing) - 3} more" if len(missing) > 3 else "")
                         + " (give lab-state files, executed notebooks or folders of them)")
    _check_output("--csv", args.csv, folder=False)
    if args.roster is not None and not Path(args.roster).is_file():
        raise UsageError(f"--roster: {args.roster!r} is not a file (give a CSV: learner id, "
                         "display name, optional file pattern)")
    if args.feedback is not None:
        _check_output("--feedback", args.feedback, folder=True)


def build_parser():
    p = _Parser(prog="vmotion-grade", description="Grade lab hand-ins (lab-state files or "
                                                   "executed notebooks) into a CSV.")
    p.add_argument("lab", help="lab id, e.g. lab01")
    p.add_argument("submissions", nargs="+", help="hand-in files or folders (LMS downloads)")
    p.add_argument("--csv", required=True, help="CSV file to write (atomically)")
    p.add_argument("--feedback", help="folder for per-learner feedback files")
    p.add_argument("--roster", help="CSV: learner id, display name, optional file pattern")
    p.add_argument("--course", help=f"course key (default: ${COURSE_ENV} or the public one)")
    p.add_argument("--trust-file-learner", action="append", default=[], metavar="LEARNER",
                   help="replay this learner's hand-in on the variant the file names (a learner "
                        "who opened the lab under another id); repeatable")
    p.add_argument("--timeout", type=float, default=60.0, help="seconds per hand-in (60)")
    p.add_argument("--jobs", type=int, default=1, help="hand-ins graded in parallel (1)")
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
    flag = "--csv"
    try:
        lab_spec(args.lab)
        _check_args(args)
        roster = identity.read_roster(args.roster) if args.roster else None
        rows = grade_batch(args.lab, args.submissions, args.timeout, args.jobs, args.course,
                           progress=not args.quiet, roster=roster,
                           trust_file_learner=args.trust_file_learner)
        if not rows:
            raise UsageError("no submissions found (no files; expected .json lab states or .ipynb "
                             "notebooks)")
        write_atomic(args.csv, lab_csv_text(args.lab, rows))
        if args.feedback:
            flag = "--feedback"
            failed = _write_feedback(args.feedback, args.lab, rows)
            if failed:
                name, exc = failed[0]
                more = f" and {len(failed) - 1} more" if len(failed) > 1 else ""
                raise OSError(exc.errno, f"{exc.strerror or exc} (feedback for {name}{more}; "
                                         "the others were written)", exc.filename)
    except VMotionError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:  # the disk refused a write: say which output, keep what is written
        done = f"; the CSV was written to {args.csv}" if flag == "--feedback" else ""
        print(f"error: {flag}: cannot write {exc.filename or ''}: {exc.strerror or exc}{done}",
              file=sys.stderr)
        return 2
    counts = {s: sum(r["status"] == s for r in rows) for s in STATUSES}
    print(f"{len(rows)} row(s): " + ", ".join(f"{n} {s}" for s, n in counts.items() if n)
          + f"; CSV written to {args.csv}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
