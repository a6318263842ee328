"""The versioned hand-in file (a lab's operation log), and how the grader reads it.

Format (JSON, ``schema_version`` 2)::

    {"format": "vmotion-lab-state", "schema_version": 2, "courseware_version": "0.1.0",
     "lab": "lab01", "lab_version": 1, "learner": "alice", "course": "<course key>",
     "saved_at": "2025-01-01T12:00:00Z", "operations": [{"do": ...}, ...]}

``operations`` is what the learner did through the lab API, in order
(:mod:`vmotion_labs.grading.oplog`); the grader replays it on the start state of the learner's
variant. Nothing in the file is trusted: ``learner`` is only compared with the identity the
grader gets from outside the file (file or folder name, roster, hub account); a hand-edited file
is graded on what its operations do. Schema 1 files (a sealed snapshot of the environment) are
refused as ``version`` without parsing their environment.

Notebook hand-ins: ``lab.save()`` also displays the document under the MIME type
:data:`STATE_MIME`, so an executed notebook carries it in its outputs. The grader extracts the
*last* such output and never executes the notebook (no learner code runs at grading, and cells
or metadata are never graded).
"""

import errno
import json
import os
import stat
import tempfile
from dataclasses import dataclass
from pathlib import Path

from vmotion_core.errors import VMotionError
from vmotion_core.fields import FieldCheck, Int, Text, schema_of, spec

__all__ = ["FORMAT", "SCHEMA_VERSION", "STATE_MIME", "MAX_BYTES", "StateError", "LabState",
           "parse_state", "read_submission", "parse_bytes", "state_from_notebook", "write_atomic"]

FORMAT = "vmotion-lab-state"
SCHEMA_VERSION = 2
STATE_MIME = "application/vnd.vmotion.lab-state+json"
#: the largest hand-in (file or notebook) the grader reads
MAX_BYTES = 8 * 2**20



class _List(FieldCheck):
    """A JSON list; its items are operations, checked one by one when they are replayed."""
    doc = "list"

    def message(self, value):
        if not isinstance(value, list):
            return f"must be a list, got {type(value).__name__}"


@dataclass(frozen=True)
class LabState:
    """The fields of a hand-in document, each declared once (:func:`parse_state` checks them,
    ``Lab.submission`` writes them; a test keeps the two in step)."""
    format: str = spec(Text(), f"always {FORMAT!r}")
    schema_version: int = spec(Int(1, SCHEMA_VERSION), "version of this format")
    courseware_version: str = spec(Text(), "version of the courseware that saved it")
    lab: str = spec(Text(), "lab id, e.g. lab01")
    lab_version: int = spec(Int(0, 2**31 - 1), "version of the lab's tasks (lab.yaml)")
    learner: str = spec(Text(), "who saved it; only compared with the identity from outside")
    course: str = spec(Text(), "the course key the variant was made with")
    saved_at: str = spec(Text(), "UTC time of saving, ISO 8601")
    operations: list = spec(_List(), "what the learner did through the lab API, in order")


class StateError(VMotionError):
    """A submission that cannot be graded; ``kind`` is ``malformed``, ``version``, ``limit``
    (too big for the grader) or ``replay-failed`` (an operation that cannot be done)."""

    def __init__(self, kind, message):
        self.kind = kind
        self.reason = message
        super().__init__(f"{kind}: {message}")


def parse_state(data):
    """Validate the shape and version of a lab-state dict; return it.

    Raises ``StateError`` (``malformed`` or ``version``) naming the field.

    >>> try:
    ...     parse_state({"format": "x"})
    ... except StateError as exc:
    ...     print(exc)
    malformed: format: expected 'vmotion-lab-state', got 'x'
    """
    if not isinstance(data, dict):
        raise StateError("malformed", f"expected a JSON object, got {type(data).__name__}")
    if data.get("format") != FORMAT:
        raise StateError("malformed", f"format: expected {FORMAT!r}, got {data.get('format')!r}")
    version = data.get("schema_version")
    if not isinstance(version, int) or isinstance(version, bool):
        raise StateError("malformed", f"schema_version: expected an integer, got {version!r}")
    if version > SCHEMA_VERSION:
        raise StateError("version", f"schema_version {version} was written by a newer courseware "
                                    f"(this grader reads up to {SCHEMA_VERSION}); update and regrade")
    if version == 1:
        raise StateError("version", "saved by an older courseware as a sealed snapshot, which "
                                    "cannot be replayed: open the lab again, redo the steps and "
                                    "save (the new file records what you did)")
    if version < 1:
        raise StateError("malformed", f"schema_version: must be >= 1, got {version}")
    for name, check in schema_of(LabState).items():
        if name not in data:
            raise StateError("malformed", f"{name}: missing")
        problem = check.message(data[name])
        if problem:
            raise StateError("malformed", f"{name}: {problem}")
    return data


def state_from_notebook(nb):
    """Return the last lab state displayed in an executed notebook (a dict from nbformat JSON)."""
    if not isinstance(nb, dict) or not isinstance(nb.get("cells"), list):
        raise StateError("malformed", "not a Jupyter notebook (no 'cells' list)")
    found = None
    for cell in nb["cells"]:
        for out in (cell.get("outputs") or []) if isinstance(cell, dict) else []:
            data = out.get("data") if isinstance(out, dict) else None
            if isinstance(data, dict) and STATE_MIME in data:
                found = data[STATE_MIME]
    if found is None:
        raise StateError("malformed", "the notebook holds no saved lab state: run it to the end "
                                      "(the lab.save() cell) and hand it in again")
    if isinstance(found, str):  # some front ends store JSON MIME bundles as text
        try:
            found = json.loads(found)
        except ValueError as exc:
            raise StateError("malformed", f"saved state in notebook is not JSON: {exc}") from None
    return found


def read_bytes(path, follow_links=True):
    """The bytes of a hand-in file, refusing files over :data:`MAX_BYTES` before reading them,
    and anything that is not a plain file (a pipe would block; with ``follow_links=False`` a
    link is refused too, so a class folder cannot point the grader at other files)."""
    try:
        st = os.stat(path, follow_symlinks=follow_links)
        if stat.S_ISLNK(st.st_mode):
            raise StateError("malformed", "cannot read the file: it is a link (the grader does "
                                          "not follow links)")
        if stat.S_ISDIR(st.st_mode):
            raise StateError("malformed", "cannot read the file: it is a folder")
        if not stat.S_ISREG(st.st_mode):
            raise StateError("malformed", "cannot read the file: not a plain file (a pipe or "
                                          "device)")
        with open(path, "rb") as fh:
            data = fh.read(MAX_BYTES + 1)
    except OSError as exc:
        raise StateError("malformed", f"cannot read the file: {exc.strerror}") from None
    if len(data) > MAX_BYTES:
        raise StateError("limit", f"the file is larger than {MAX_BYTES // 2**20} MiB; a lab "
                                  "hand-in is a few kilobytes")
    return data


def parse_bytes(data):
    """Parse a hand-in (lab-state JSON or executed notebook) from bytes; return the state dict.

    Raises ``StateError`` for anything unreadable, never another exception.
    """
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise StateError("malformed", "the file is not UTF-8 text") from None
    try:
        doc = json.loads(text)
    except RecursionError:
        raise StateError("limit", "the JSON is nested too deeply") from None
    except ValueError as exc:
        raise StateError("malformed", f"not valid JSON ({str(exc)[:120]})") from None
    if isinstance(doc, dict) and "cells" in doc and "nbformat" in doc:
        doc = state_from_notebook(doc)
    return parse_state(doc)


def read_submission(path):
    """Read a lab-state file or an executed notebook; return the state (``StateError`` if not)."""
    return parse_bytes(read_bytes(Path(path)))


def _file_mode(path):
    """The existing file's permissions, else what a plain ``open(path, "w")`` would give."""
    try:
        return os.stat(path).st_mode & 0o7777
    except OSError:
        mask = os.umask(0)
        os.umask(mask)
        return 0o666 & ~mask


def write_atomic(path, text):
    """Write ``text`` to ``path`` through a temporary file and a rename (never half-written)."""
    path = Path(path)
    if path.is_dir():
        raise IsADirectoryError(errno.EISDIR, "is a folder, not a file", str(path))
    parent = next((p for p in path.absolute().parents if p.exists()), None)
    if parent is not None and not parent.is_dir():
        raise NotADirectoryError(errno.ENOTDIR, f"{str(parent)!r} is a file, not a folder",
                                 str(path))
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
        os.chmod(tmp, _file_mode(path))  # mkstemp makes 0600; keep the usual permissions
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    return path
