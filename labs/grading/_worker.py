"""Grade ONE hand-in inside the sandboxed process (not public; started by :mod:`.sandbox`).

``python -I -B -m vmotion_labs.grading._worker LAB LEARNER VARIANT_LEARNER COURSE CPU_S MEM_MIB``
(an empty VARIANT_LEARNER: the one the file names) sets its limits, then reads the
hand-in's bytes on stdin and prints one JSON object on stdout (the fields :func:`.sandbox.
grade_file` documents). No learner code runs here: the hand-in is data (an operation log) that
is replayed through the lab API.
"""

import dataclasses
import hashlib
import html
import json
import resource
import sys
import traceback

from .gradebook import FEEDBACK_CAPS
from .state import MAX_BYTES, StateError, parse_bytes
from .variants import canonical_json

_NOT_THIS_LAB = "this is a {got} hand-in, not {want}"


def _capped_report(report):
    """The report with every check message cut to the cap (learner-chosen names are in them)."""
    n = FEEDBACK_CAPS["message_chars"]
    results = tuple(dataclasses.replace(r, message=r.message[:n] + ("…" if len(r.message) > n
                                                                      else ""))
                    for r in report.results)
    return dataclasses.replace(report, results=results)


def _cap(text, limit, note):
    return text if len(text) <= limit else text[:limit] + note.format(n=limit)


def grade_bytes(lab_id, data, learner, variant_learner, course):
    """Return the result dict for one hand-in (never raises)."""
    from .instructor import grade
    from .lab import Lab
    out = {"status": "crashed", "learner": learner, "file_learner": None, "reason": "",
           "flags": [], "ops_digest": None, "operations": None}
    try:
        if len(data) > MAX_BYTES:
            raise StateError("limit", f"the file is larger than {MAX_BYTES // 2**20} MiB")
        doc = parse_bytes(data)
        out["file_learner"] = doc["learner"][:80]
        if doc["lab"] != lab_id:
            raise StateError("malformed", _NOT_THIS_LAB.format(got=doc["lab"][:20], want=lab_id))
        ops = doc["operations"]
        out["operations"] = len(ops)
        out["ops_digest"] = hashlib.sha256(canonical_json(ops).encode()).hexdigest()
        if doc["learner"] != learner:
            out["flags"].append(f"file names learner {doc['learner'][:64]!r}")
        if doc["course"] != course:
            out["flags"].append(f"saved for course {doc['course'][:64]!r}")
        if not variant_learner:  # the instructor chose to trust the id the file names
            out["flags"].append("graded on the variant of the learner the file names")
        lab = Lab.from_submission(doc, learner=variant_learner or None, course=course)
        report = _capped_report(dataclasses.replace(grade(lab), learner=learner))
        broken = [r.qualified_id for r in report.results if r.crashed]
        caps = FEEDBACK_CAPS
        out.update(status="graded", score=report.score, max_score=report.max_score,
                   reason=f"{len(broken)} check(s) could not run: {', '.join(broken)}"
                   if broken else "", report=report.to_dict(),
                   text=_cap(str(report), caps["text_chars"], "\n[feedback cut at {n} characters]"),
                   html=_cap(report._repr_html_(), caps["html_chars"], ""))
        if len(out["html"]) >= caps["html_chars"]:  # cut HTML is broken HTML: send the text
            out["html"] = f"<pre>{html.escape(out['text'])}</pre>"
    except StateError as exc:
        out.update(status=exc.kind, reason=exc.reason[:FEEDBACK_CAPS["reason_chars"]])
    except MemoryError:
        out.update(status="limit", reason="grading this hand-in needed more memory than the "
                                          "grader allows")
    except RecursionError:
        out.update(status="limit", reason="the hand-in is nested too deeply")
    except Exception as exc:  # the grader's problem to report, not to raise
        where = traceback.extract_tb(exc.__traceback__)[-1]
        out.update(status="crashed", reason=f"grading crashed: {type(exc).__name__}: "
                   f"{str(exc)[:200]} ({where.filename.rsplit('/', 1)[-1]}:{where.lineno})")
    return out


def set_limits(cpu_s, memory_mib):
    """The sandbox's ``resource`` limits, set before the hand-in is read."""
    mem = memory_mib * 2**20
    for which, value in ((resource.RLIMIT_CPU, (cpu_s, cpu_s + 2)),
                         (resource.RLIMIT_AS, (mem, mem)),
                         (resource.RLIMIT_FSIZE, (2**20, 2**20)),
                         (resource.RLIMIT_NOFILE, (256, 256)),
                         (resource.RLIMIT_CORE, (0, 0))):
        resource.setrlimit(which, value)


def main(argv=None):
    args = list(argv if argv is not None else sys.argv[1:])
    lab_id, learner, variant_learner, course, cpu_s, memory_mib = args[:6]
    set_limits(int(cpu_s), int(memory_mib))
    sys.setrecursionlimit(2000)
    data = sys.stdin.buffer.read(MAX_BYTES + 1)
    out = grade_bytes(lab_id, data, learner, variant_learner, course)
    usage = resource.getrusage(resource.RUSAGE_SELF)
    out["worker"] = {"cpu_s": round(usage.ru_utime + usage.ru_stime, 3),
                     "peak_mib": round(usage.ru_maxrss / 1024, 1)}
    sys.stdout.write(json.dumps(out) + "\n")
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
