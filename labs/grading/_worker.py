"""Grade ONE submission in its own process (not public; run by ``vmotion-grade``).

``python -m vmotion_labs.grading._worker LAB PATH`` reads the course secret from
``$VMOTION_COURSE_SECRET`` (not argv, so it does not show in process lists) and prints one JSON
object on stdout: ``{"status": "graded" | "malformed" | "forged" | "version" | "crashed",
"learner": ..., "reason": ..., "report": {...}}``. A submission that loops is killed by the parent
after its timeout; one that crashes the interpreter leaves no JSON, and the parent says so.
"""

import json
import sys
import traceback

from .lab import Lab
from .state import StateError, read_submission


def grade_one(lab_id, path):
    """Return the result dict for one submission (never raises)."""
    learner = None
    try:
        state = read_submission(path)
        learner = state["learner"]
        if state["lab"] != lab_id:
            raise StateError("malformed", f"this is a {state['lab']} state, not {lab_id}")
        lab = Lab.from_state(state)
        report = lab.grade()
        broken = [r.qualified_id for r in report.results if r.crashed]
        reason = f"{len(broken)} check(s) could not run: {', '.join(broken)}" if broken else ""
        return {"status": "graded", "learner": learner, "reason": reason,
                "report": report.to_dict(), "text": str(report), "html": report._repr_html_()}
    except StateError as exc:
        return {"status": exc.kind, "learner": learner, "reason": exc.reason}
    except RecursionError:
        return {"status": "crashed", "learner": learner,
                "reason": "grading crashed: the submission is nested too deeply (RecursionError)"}
    except Exception as exc:  # any other failure is the grader's problem to report, not to raise
        where = traceback.extract_tb(exc.__traceback__)[-1]
        return {"status": "crashed", "learner": learner,
                "reason": f"grading crashed: {type(exc).__name__}: {exc} "
                          f"({where.filename.rsplit('/', 1)[-1]}:{where.lineno})"}


def main(argv=None):
    lab_id, path = (argv if argv is not None else sys.argv[1:])[:2]
    sys.setrecursionlimit(2000)
    out = grade_one(lab_id, path)
    sys.stdout.write(json.dumps(out) + "\n")
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
