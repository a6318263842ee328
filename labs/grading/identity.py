"""Whose hand-in is it? Identity comes from *outside* the file: the file or folder name an LMS
download gives it, or a roster. The ``learner`` written inside a hand-in is never trusted.

Recognised layouts (each relative to the folder given to ``vmotion-grade``):

==================  ========================================================  ==============
layout              example                                                   learner
==================  ========================================================  ==============
Moodle              ``Alice Smith_1234_assignsubmission_file_/lab01.json``    ``Alice Smith``
Canvas              ``smithalice_late_1234_5678_lab01.json``                  ``smithalice``
Blackboard          ``Lab 01_asmith_attempt_2025-01-01-10-00-00_x.json``      ``asmith``
folder per learner  ``asmith/lab01.ipynb``                                    ``asmith``
file per learner    ``lab01-asmith.json``, ``asmith.json``                    ``asmith``
==================  ========================================================  ==============

A roster (``--roster roster.csv``: learner id, display name, optional file pattern) maps these
names to learner ids; with it, every rostered learner gets a row.
"""

import csv
import fnmatch
import io
import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from vmotion_core.errors import ConfigError, UsageError

from .variants import check_learner_id

__all__ = ["SUBMISSION_SUFFIXES", "is_submission", "safe_id", "unique_ids", "name_from_path",
           "RosterEntry", "read_roster", "match_roster", "MAX_ID"]

SUBMISSION_SUFFIXES = (".json", ".ipynb")
MAX_ID = 64
_MOODLE = re.compile(r"^(?P<name>.+?)_\d+_assignsubmission_[a-z]+_?$", re.I)
_CANVAS = re.compile(r"^(?P<name>[a-z0-9]+?)(?:_late)?_\d+_\d+_.+$")
_BLACKBOARD = re.compile(r"^.+?_(?P<name>[^_]+)_attempt_\d{4}(?:-\d\d){5}(?:_.+)?$")
_LAB_PREFIX = re.compile(r"^lab\d\d(?:[-_ .]+|$)", re.I)
_UNSAFE = re.compile(r"[^A-Za-z0-9._@+-]+")
_ROSTER_MAX_BYTES = 2 * 2**20


def is_submission(path):
    """Whether a file name looks like a hand-in: ``.json`` or ``.ipynb`` in any letter case,
    also with a ``.txt`` an LMS or mail client added (``lab01.json.txt``)."""
    name = Path(path).name.lower()
    if name.endswith(".txt"):
        name = name[:-4]
    return name.endswith(SUBMISSION_SUFFIXES) and not name.startswith(".")


def _stem(name):
    low = name.lower()
    for suffix in (".txt", ".json", ".ipynb"):
        if low.endswith(suffix):
            name, low = name[:-len(suffix)], low[:-len(suffix)]
    return name


def name_from_path(rel):
    """The learner name a relative path gives (``''`` when it names nobody).

    >>> name_from_path("Alice Smith_1234_assignsubmission_file_/lab01.json")
    'Alice Smith'
    >>> name_from_path("lab01-asmith.JSON"), name_from_path("asmith/lab01.ipynb")
    ('asmith', 'asmith')
    """
    parts = PurePosixPath(str(rel).replace("\\", "/")).parts
    for part in parts:
        m = _MOODLE.match(part)
        if m:
            return m["name"].strip()
    file = parts[-1] if parts else ""
    for pattern in (_CANVAS, _BLACKBOARD):
        m = pattern.match(file)
        if m:
            return m["name"]
    if len(parts) > 1:
        return parts[0]
    return _LAB_PREFIX.sub("", _stem(file)).strip(" -_.")


def safe_id(text):
    """A learner id made safe for file names and spreadsheets (1-64 of ``A-Za-z0-9._@+-``,
    starting with a letter or digit).

    >>> safe_id("Alice Smith"), safe_id("=HYPERLINK(1)"), len(safe_id("x" * 300))
    ('Alice_Smith', 'HYPERLINK_1', 64)
    """
    out = _UNSAFE.sub("_", str(text)).lstrip("._@+-")[:MAX_ID].rstrip("_")
    return out or "unknown"


def unique_ids(names):
    """``{name: safe id}`` with collisions resolved (``ann_lee``, ``ann_lee-2``), letter case
    ignored (a folder may sit on a case-insensitive file system)."""
    taken, out = set(), {}
    for name in names:
        base = safe_id(name)
        cand, n = base, 1
        while cand.lower() in taken:
            n += 1
            cand = f"{base[:MAX_ID - 1 - len(str(n))]}-{n}"
        taken.add(cand.lower())
        out[name] = cand
    return out


@dataclass(frozen=True)
class RosterEntry:
    learner: str
    display_name: str = ""
    pattern: str = ""


def read_roster(path):
    """Read a roster CSV: ``learner id, display name[, file pattern]`` per line (a header line
    ``learner,...`` is allowed). Raises ``UsageError`` naming the line."""
    try:
        with open(path, "rb") as fh:
            raw = fh.read(_ROSTER_MAX_BYTES + 1)
    except OSError as exc:
        raise UsageError(f"--roster: cannot read {str(path)!r}: {exc.strerror}") from None
    if len(raw) > _ROSTER_MAX_BYTES:
        raise UsageError("--roster: the file is larger than 2 MiB")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise UsageError("--roster: the file is not UTF-8 text") from None
    entries, seen = [], {}
    for n, row in enumerate(csv.reader(io.StringIO(text)), start=1):
        row = [c.strip() for c in row]
        if not any(row) or row[0].startswith("#"):
            continue
        if n == 1 and row[0].lower() in ("learner", "learner_id", "id", "learner id"):
            continue
        if len(row) > 3:
            raise UsageError(f"--roster line {n}: expected learner id, display name and an "
                             f"optional file pattern, got {len(row)} columns")
        try:
            learner = check_learner_id(row[0])
        except ConfigError as exc:
            raise UsageError(f"--roster line {n}: {exc.reason}") from None
        if learner.lower() in seen:
            raise UsageError(f"--roster line {n}: learner {learner!r} is listed twice (also line "
                             f"{seen[learner.lower()]})")
        seen[learner.lower()] = n
        entries.append(RosterEntry(learner, row[1] if len(row) > 1 else "",
                                   row[2] if len(row) > 2 else ""))
    if not entries:
        raise UsageError("--roster: no learners listed (one 'learner id,display name[,pattern]' "
                         "per line)")
    return entries


def _squash(text):
    return re.sub(r"[^a-z0-9]", "", text.lower())


def match_roster(entries, rel, name):
    """The roster entries a file (relative path ``rel``, learner name ``name`` from its path)
    belongs to: by pattern when an entry has one, else by learner id or display name."""
    rel = str(rel).replace("\\", "/")
    parts = rel.split("/")
    found = []
    for e in entries:
        if e.pattern:
            pat = e.pattern.lower()
            hit = fnmatch.fnmatchcase(rel.lower(), pat) or any(
                fnmatch.fnmatchcase(p.lower(), pat) for p in parts)
        else:
            keys = {e.learner.lower(), e.display_name.lower()} - {""}
            hit = name.lower() in keys or (bool(_squash(name)) and _squash(name) in
                                          {_squash(k) for k in keys})
        if hit:
            found.append(e)
    return found
