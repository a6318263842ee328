"""The ``vmotion`` command: a thin dispatcher over ``vmotion_core.commands``.

Each command module defines ``register(subparsers)``, which adds its sub-parser and sets
``func`` (``args -> exit code``). Usage problems exit 2 with one line on stderr, never a
traceback; anything the model rejects (``VMotionError``) is a usage problem too.
"""

import argparse
import importlib
import os
import re
import sys

from . import __version__
from .errors import UsageError, VMotionError, shown

__all__ = ["main", "build_parser"]

# One entry per sub-command module in vmotion_core/commands/ (kept in help order).
COMMANDS = ("simulate", "scenario", "check", "migrate", "validate_model", "evacuate")


class _Parser(argparse.ArgumentParser):
    """argparse that reports a bad flag as a single ``UsageError`` line instead of usage + exit."""

    def error(self, message):
        flag = re.fullmatch(r"argument (--[\w-]+)(?:/\S+)?: expected one argument", message)
        if flag:  # e.g. "--memory -1GiB": argparse takes the value for a flag
            message += f" (for a value that starts with '-', write {flag.group(1)}=VALUE)"
        raise UsageError(f"{self.prog}: {_short(message)}")


def _short(message, limit=60):
    """argparse echoes what was typed whole ('invalid choice: <50 MB>'): shorten each long
    quoted value, keep what is allowed, and cap the line."""
    def short(m):  # quoted values are taken left to right, in pairs, so text between stays
        return shown(m.group(1), limit) if len(m.group(1)) > limit else m.group(0)
    message = re.sub(r"'([^']*)'", short, message)
    return message if len(message) <= 1000 else message[:1000] + "…"


def build_parser():
    """The ``vmotion`` argument parser with every sub-command of :data:`COMMANDS` registered.

    >>> build_parser().parse_args(["simulate", "--memory", "4GiB"]).memory
    '4GiB'
    """
    parser = _Parser(prog="vmotion", description="vMotion Workshop: simulate, check and migrate.")
    parser.add_argument("--version", action="version", version=f"vmotion {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    sub.required = True
    for name in COMMANDS:
        importlib.import_module(f".commands.{name}", __package__).register(sub)
    return parser


def main(argv=None):
    """Run the CLI; return the exit code (0 ok, 1 blocked/failed, 2 usage error).

    >>> main(["scenario", "show", "no-such-scenario"])   # the problems go to stderr
    2
    """
    try:
        args = build_parser().parse_args(argv)
        code = int(args.func(args) or 0)
        if sys.stdout is not None:
            sys.stdout.flush()  # a closed pipe shows up here, not at interpreter exit
        return code
    except VMotionError as exc:
        # one line even for multi-line errors (a ScenarioError lists its problems on lines)
        line = "; ".join(ln.strip() for ln in str(exc).splitlines() if ln.strip())
        print("error: " + _short(line), file=sys.stderr)
        return 2
    except BrokenPipeError:  # e.g. `vmotion simulate ... | head`
        _silence_stdout()
        return 0
    except KeyboardInterrupt:
        print("error: interrupted", file=sys.stderr)
        return 130


def _silence_stdout():
    """Point stdout at /dev/null so the flush at exit does not fail on the closed pipe again."""
    try:
        fd = os.open(os.devnull, os.O_WRONLY)
        os.dup2(fd, sys.stdout.fileno())
        os.close(fd)
    except (AttributeError, OSError, ValueError):  # no real file descriptor (e.g. captured)
        pass


if __name__ == "__main__":
    sys.exit(main())
