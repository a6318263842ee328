"""Read and check a class roster (CSV): who is in the class, learner or instructor.

Format (header required, extra columns ignored)::

    username,role,name
    alice,learner,Alice Example
    mia,instructor,Mia Teacher

``username`` becomes a system account and the hub login, so it must be a portable account name:
lower-case letter first, then lower-case letters, digits, ``_`` or ``-``, at most 32 characters.
``role`` is ``learner`` or ``instructor``; ``name`` is optional (shown on the dashboard).
"""

import csv
import re
from dataclasses import dataclass
from pathlib import Path

from vmotion_core.errors import UsageError

__all__ = ["Member", "read_roster", "ROLES"]

ROLES = ("learner", "instructor")
_NAME = re.compile(r"^[a-z][a-z0-9_-]{0,31}$")
# accounts that exist on every Linux system or that the class uses itself
_RESERVED = {"root", "daemon", "bin", "sys", "sync", "games", "man", "lp", "mail", "news", "uucp",
             "proxy", "www-data", "backup", "list", "irc", "nobody", "admin", "jupyterhub",
             "vmotion-class", "_apt", "systemd-network", "messagebus", "sshd"}
_MAX_MEMBERS = 2000

MESSAGES = {
    "missing": "--roster: file {path!r} not found",
    "header": "--roster: the first line must name the columns username,role[,name]; got {got!r}",
    "name": ("--roster line {line}: username {value!r} is not allowed (a lower-case letter, then "
             "lower-case letters, digits, '_' or '-', at most 32 characters)"),
    "reserved": "--roster line {line}: username {value!r} is a system account name; pick another",
    "role": "--roster line {line}: role {value!r} is not one of learner, instructor",
    "twice": "--roster line {line}: username {value!r} is listed twice (first on line {first})",
    "empty": "--roster: no members (give at least one instructor and one learner)",
    "no_instructor": "--roster: no instructor (set role=instructor on at least one line)",
    "too_many": "--roster: more than {max} members; split the class",
    "encoding": "--roster: {path!r} is not UTF-8 text ({err})",
}


@dataclass(frozen=True)
class Member:
    username: str
    role: str
    name: str = ""

    @property
    def is_instructor(self):
        return self.role == "instructor"


def read_roster(path):
    """Return the roster's members in file order; ``UsageError`` names the line and the rule."""
    path = Path(path)
    if not path.is_file():
        raise UsageError(MESSAGES["missing"].format(path=str(path)))
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UsageError(MESSAGES["encoding"].format(path=str(path), err=exc.reason)) from None
    rows = csv.reader(text.splitlines())
    header = [h.strip().lower() for h in next(rows, [])]
    if header[:2] != ["username", "role"]:
        raise UsageError(MESSAGES["header"].format(got=",".join(header)))
    members, first = [], {}
    for line, row in enumerate(rows, start=2):
        if not any(cell.strip() for cell in row) or row[0].lstrip().startswith("#"):
            continue
        cells = [c.strip() for c in row] + ["", ""]
        username, role, name = cells[0], cells[1].lower(), cells[2]
        if not _NAME.match(username):
            raise UsageError(MESSAGES["name"].format(line=line, value=username))
        if username in _RESERVED:
            raise UsageError(MESSAGES["reserved"].format(line=line, value=username))
        if role not in ROLES:
            raise UsageError(MESSAGES["role"].format(line=line, value=cells[1]))
        if username in first:
            raise UsageError(MESSAGES["twice"].format(line=line, value=username,
                                                      first=first[username]))
        first[username] = line
        members.append(Member(username, role, name))
        if len(members) > _MAX_MEMBERS:
            raise UsageError(MESSAGES["too_many"].format(max=_MAX_MEMBERS))
    if not members:
        raise UsageError(MESSAGES["empty"])
    if not any(m.is_instructor for m in members):
        raise UsageError(MESSAGES["no_instructor"])
    return members
