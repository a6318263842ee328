"""Grade one hand-in in a sandboxed worker process: :func:`grade_file`.

The worker is started isolated (``python -I -B``: no ``PYTHONPATH``, no user site, not the
current folder on the module path, no bytecode written) in its own session, in a fresh temporary
working folder, with a minimal environment; before it reads the hand-in it sets its ``resource``
limits: CPU time, address space (memory), file size, open files, no core dumps. It gets the hand-in's bytes on stdin, never a path,
and replays the operations through the lab API (no learner code runs). Whatever happens in
there (a limit hit, a crash, a hang), :func:`grade_file` returns a row and never raises.
"""

import json
import math
import os
import shutil
import signal
import subprocess
import sys
import tempfile

from .gradebook import ADVICE, FEEDBACK_CAPS
from .state import StateError, read_bytes
from .variants import check_learner_id, course_key

__all__ = ["grade_file", "DEFAULT_MEMORY_MIB", "MAX_OUTPUT_BYTES"]

#: address-space limit of a worker (MiB); the simulator and NumPy need about 300 MiB
DEFAULT_MEMORY_MIB = 1536
#: the most a worker may print before it is treated as crashed
MAX_OUTPUT_BYTES = 2 * 2**20
# what a process that ran out of address space prints (Python, the loader, C++ libraries)
_MEMORY_WORDS = ("MemoryError", "Cannot allocate memory", "failed to map segment", "bad_alloc",
                 "out of memory")
_PASS_ENV = ("VMOTION_PURE_PYTHON", "VMOTION_REQUIRE_COMPILED", "LANG", "LC_ALL")


def _child_env(tmp):
    env = {"PATH": os.defpath, "HOME": tmp, "TMPDIR": tmp, "MPLBACKEND": "Agg",
           "MPLCONFIGDIR": tmp, "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1",
           "MKL_NUM_THREADS": "1"}
    env.update({k: os.environ[k] for k in _PASS_ENV if k in os.environ})
    return env


def _row(status, learner, reason, **more):
    text = f"Not graded ({status}): {reason}\n{ADVICE.get(status, '')}"
    body = "<p>" + "</p><p>".join(line.replace("&", "&amp;").replace("<", "&lt;")
                                  for line in text.splitlines()) + "</p>"
    return {"status": status, "learner": learner, "reason": reason, "score": 0.0,
            "max_score": None, "report": None, "text": text, "html": body, "flags": [],
            "file_learner": None, "ops_digest": None, "operations": None, "worker": None,
            **more}


def _signal_reason(code, cpu_s, memory_mib):
    sig = -code
    if sig == signal.SIGXCPU:
        return "limit", f"grading used more than {cpu_s} s of CPU time"
    if sig == signal.SIGKILL:
        return "limit", f"the grading process was killed (memory limit {memory_mib} MiB or " \
                        "CPU limit)"
    try:
        name = signal.Signals(sig).name
    except ValueError:
        name = f"signal {sig}"
    return "crashed", f"the grading process died ({name}; memory limit {memory_mib} MiB)"


def grade_file(lab_id, path, *, learner, timeout_s=60, memory_mib=DEFAULT_MEMORY_MIB,
               variant_learner=None, trust_file_learner=False, course=None):
    """Grade the hand-in at ``path`` for ``learner`` in a sandboxed worker; never raises.

    Parameters
    ----------
    lab_id : str
        The lab (``"lab01"``).
    path : str or os.PathLike
        A lab-state file (what ``lab.save()`` writes) or an executed notebook.
    learner : str
        Whose row this is, known from *outside* the file (roster, file or folder name, hub
        account); the operations are replayed on this learner's variant.
    timeout_s : float
        Wall-clock limit; the CPU-time limit is the same number of seconds.
    memory_mib : int
        Address-space limit of the worker.
    variant_learner : str, optional
        Replay on this learner's variant instead (an instructor's decision for a learner who
        opened the lab under another id); the row stays ``learner``'s.
    trust_file_learner : bool
        Replay on the variant of the learner the file names (the same decision when the id is
        not known in advance); the row stays ``learner``'s and is still flagged.
    course : str, optional
        Course key (default ``$VMOTION_COURSE`` or the public default).

    Returns
    -------
    dict
        ``status`` (one of :data:`~vmotion_labs.grading.gradebook.GRADED_BY_WORKER`),
        ``learner``, ``reason`` (empty when all went well), ``score``, ``max_score`` (None when
        not graded), ``report`` (``Report.to_dict()``: ``lab``, ``learner``, ``title``,
        ``score``, ``max_score``, ``results`` (each with ``id``, ``title``, ``points``,
        ``points_awarded``, ``passed``, ``message``, boolean ``hidden``, ``category``,
        ``crashed``), ``pending``; None when not graded), ``text`` and ``html`` (feedback for
        the learner, size-capped by :data:`~vmotion_labs.grading.gradebook.FEEDBACK_CAPS`),
        ``flags`` (notes for the instructor: the file names another learner, another course),
        ``file_learner`` (the learner the file names, untrusted), ``ops_digest`` (SHA-256 of
        the operation log, to spot identical work), ``operations`` (how many), ``worker``
        (``cpu_s``, ``peak_mib`` of the worker, or None).

    Examples
    --------
    >>> import tempfile, os
    >>> from vmotion_labs import Lab
    >>> d = tempfile.mkdtemp()
    >>> p = Lab.open("lab01", learner="alice").save(os.path.join(d, "a.json")).path
    >>> r = grade_file("lab01", p, learner="alice")
    >>> r["status"], r["score"], r["max_score"] > 0
    ('graded', 0.0, True)
    """
    try:
        check_learner_id(learner)
        variant = check_learner_id(variant_learner or learner)
        course = course_key(course)
        if not (isinstance(timeout_s, (int, float)) and math.isfinite(timeout_s)
                and timeout_s > 0):
            raise ValueError(f"timeout_s must be a positive number of seconds, got {timeout_s!r}")
    except Exception as exc:
        return _row("malformed", learner if isinstance(learner, str) else repr(learner),
                    f"cannot grade: {exc}"[:FEEDBACK_CAPS["reason_chars"]])
    try:
        data = read_bytes(path, follow_links=False)
    except StateError as exc:
        return _row(exc.kind, learner, exc.reason)
    cpu_s = max(1, math.ceil(timeout_s))
    tmp = tempfile.mkdtemp(prefix="vmotion-grade-")
    cmd = [sys.executable, "-I", "-B", "-m", "vmotion_labs.grading._worker", lab_id, learner,
           "" if trust_file_learner else variant, course, str(cpu_s), str(memory_mib)]
    try:
        proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, cwd=tmp, env=_child_env(tmp),
                                start_new_session=True, close_fds=True)
        try:
            out, err = proc.communicate(data, timeout=timeout_s * 1.5 + 5)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
            return _row("timeout", learner, f"grading did not finish within {timeout_s:g} s")
        if proc.returncode < 0:
            status, reason = _signal_reason(proc.returncode, cpu_s, memory_mib)
            return _row(status, learner, reason)
        lines = [ln for ln in out[:MAX_OUTPUT_BYTES].splitlines() if ln.startswith(b"{")]
        if proc.returncode != 0 or not lines or len(out) > MAX_OUTPUT_BYTES:
            tail = (err.decode("utf-8", "replace").strip().splitlines() or ["no output"])[-1]
            if any(word in err.decode("utf-8", "replace") for word in _MEMORY_WORDS):
                return _row("limit", learner, f"grading needed more than {memory_mib} MiB")
            return _row("crashed", learner, f"the grading process failed (exit code "
                                            f"{proc.returncode}): {tail[:200]}")
        result = json.loads(lines[-1])
        if result["status"] != "graded":
            extra = {k: result.get(k) for k in ("flags", "file_learner", "ops_digest",
                                                "operations", "worker")}
            return _row(result["status"], learner, result["reason"], **extra)
        return {**_row("graded", learner, ""), **result}
    except Exception as exc:  # the sandbox itself failed: still a row
        return _row("crashed", learner, f"could not run the grading process: "
                                        f"{type(exc).__name__}: {exc}"[:400])
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
