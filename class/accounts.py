"""System accounts for the roster: one per member, so the operating system keeps learners apart.

Accounts the class creates are recorded in ``STATE/hub/accounts.json`` so that
``remove_accounts`` (``bash scripts/class.sh --remove-accounts``, and the tests' clean-up) deletes
exactly those and never an account that existed before. Homes are ``0700``: no learner can list or
read another learner's home.
"""

import json
import pwd
import subprocess
from pathlib import Path

from vmotion_core.errors import UsageError

__all__ = ["ensure_accounts", "remove_accounts", "created_accounts"]

_COMMENT = "vMotion class {role}"


def _ledger(state):
    return Path(state) / "hub" / "accounts.json"


def created_accounts(state):
    try:
        return json.loads(_ledger(state).read_text("utf-8"))
    except (OSError, ValueError):
        return []


def ensure_accounts(members, state):
    """Create a system account for each member that has none; return the names created now."""
    ledger = created_accounts(state)
    made = []
    for m in members:
        try:
            entry = pwd.getpwnam(m.username)
        except KeyError:
            subprocess.run(["useradd", "--create-home", "--user-group", "--shell", "/bin/bash",
                            "--comment", _COMMENT.format(role=m.role), m.username],
                           check=True, capture_output=True)
            entry = pwd.getpwnam(m.username)
            made.append(m.username)
            ledger.append(m.username)
            _ledger(state).write_text(json.dumps(sorted(set(ledger))), "utf-8")
        else:
            if entry.pw_uid < 1000 and m.username not in ledger:
                raise UsageError(f"--roster: {m.username!r} is an existing system account "
                                 f"(uid {entry.pw_uid}); give the member another username")
        Path(entry.pw_dir).chmod(0o700)
    return made


def remove_accounts(state):
    """Delete the accounts (and homes) this class created; return their names."""
    gone = []
    for name in created_accounts(state):
        try:
            pwd.getpwnam(name)
        except KeyError:
            continue
        subprocess.run(["pkill", "-KILL", "-u", name], capture_output=True)  # their servers
        subprocess.run(["userdel", "--remove", name], capture_output=True)
        gone.append(name)
    _ledger(state).unlink(missing_ok=True)
    return gone
