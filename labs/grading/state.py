"""The versioned lab-state file a learner hands in, and how the grader reads it.

Format (JSON, ``schema_version`` 1)::

    {"format": "vmotion-lab-state", "schema_version": 1, "courseware_version": "0.1.0",
     "lab": "lab01", "lab_version": 1, "learner": "alice", "variant_digest": "<hmac>",
     "saved_at": "2025-01-01T12:00:00Z", "environment": "<scenario YAML>",
     "changes": ["..."], "answers": {...}, "integrity": "<hmac-sha256>"}

``variant_digest`` is the keyed digest of the learner's variant
(:attr:`~vmotion_labs.grading.variants.Variant.digest`): the grader recomputes the variant and
compares, so the file never carries the variant's secret parameters (lab05's fault), only a value
that confirms them. ``changes`` lists the learner's own changes since the start state.
``integrity`` is an HMAC over everything else, keyed with the course secret. It makes hand edits
*evident* (the grader reports them as forged); it is not a security boundary against a learner
who reads the courseware code and knows the secret.

Notebook hand-ins: ``lab.save()`` also displays the state under the MIME type
:data:`STATE_MIME`, so an executed notebook carries its saved state in its outputs. The grader
extracts the *last* such output and never executes the notebook (no learner code runs at grading,
and cells or metadata are never graded).
"""

import errno
import hashlib
import hmac
import json
import os
import tempfile
from pathlib import Path

from vmotion_core.errors import VMotionError

from .variants import canonical_json, course_secret

__all__ = ["FORMAT", "SCHEMA_VERSION", "STATE_MIME", "MAX_BYTES", "StateError", "seal",
           "verify_seal", "parse_state", "read_submission", "state_from_notebook",
           "write_atomic"]

FORMAT = "vmotion-lab-state"
SCHEMA_VERSION = 1
STATE_MIME = "application/vnd.vmotion.lab-state+json"
MAX_BYTES = 20 * 2**20

_FIELDS = {"format": str, "schema_version": int, "courseware_version": str, "lab": str,
           "lab_version": int, "learner": str, "variant_digest": str, "saved_at": str,
           "environment": str, "changes": list, "answers": dict, "integrity": str}


class StateError(VMotionError):
    """A submission that cannot be graded; ``kind`` is ``malformed``, ``forged`` or ``version``."""

    def __init__(self, kind, message):
        self.kind = kind
        self.reason = message
        super().__init__(f"{kind}: {message}")


def _mac(state, secret):
    body = {k: v for k, v in state.items() if k != "integrity"}
    return hmac.new(course_secret(secret).encode(), canonical_json(body).encode(),
                    hashlib.sha256).hexdigest()


def seal(state, secret=None):
    """Return a copy of ``state`` with its ``integrity`` field set.

    >>> s = seal({"a": 1}, "k"); verify_seal(s, "k") is None
    True
    """
    return {**state, "integrity": _mac(state, secret)}


def verify_seal(state, secret=None):
    """Raise ``StateError('forged', ...)`` if ``state`` was changed after it was sealed."""
    if not hmac.compare_digest(str(state.get("integrity", "")), _mac(state, secret)):
        raise StateError("forged", "the integrity seal does not match the content: the file was "
                                   "edited after lab.save() (or saved with another course secret)")


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
    if version < 1:
        raise StateError("malformed", f"schema_version: must be >= 1, got {version}")
    for name, kind in _FIELDS.items():
        if name not in data:
            raise StateError("malformed", f"{name}: missing")
        if not isinstance(data[name], kind) or isinstance(data[name], bool):
            raise StateError("malformed", f"{name}: expected {kind.__name__}, "
                                          f"got {type(data[name]).__name__}")
    if not all(isinstance(c, str) for c in data["changes"]):
        raise StateError("malformed", "changes: expected a list of strings")
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


def read_submission(path):
    """Read a lab-state file (``.json``) or an executed notebook (``.ipynb``); return the state.

    Raises ``StateError`` for anything unreadable, never another exception.
    """
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise StateError("malformed", f"file is {size} bytes; a lab state is at most "
                                          f"{MAX_BYTES} bytes")
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise StateError("malformed", f"cannot read the file: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise StateError("malformed", "the file is not UTF-8 text") from None
    try:
        data = json.loads(text)
    except RecursionError:
        raise StateError("malformed", "JSON nested too deeply") from None
    except ValueError as exc:
        raise StateError("malformed", f"not valid JSON ({exc})") from None
    if path.suffix == ".ipynb" or (isinstance(data, dict) and "cells" in data
                                   and "nbformat" in data):
        data = state_from_notebook(data)
    return parse_state(data)


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
