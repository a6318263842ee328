"""The ``vmotion`` command: a thin dispatcher over ``vmotion_core.commands``.

Each command module defines ``register(subparsers)``, which adds its sub-parser and sets
``func`` (``args -> exit code``). Usage problems exit 2 with one line on stderr, never a
traceback; anything the model rejects (``VMotionError``) is a usage problem too.
"""

import argparse
import importlib
import sys

from . import __version__
from .errors import UsageError, VMotionError

__all__ = ["main", "build_parser"]

# One entry per sub-command module in vmotion_core/commands/ (kept in help order).
COMMANDS = ("simulate", "scenario", "check", "migrate", "validate", "evacuate")


class _Parser(argparse.ArgumentParser):
    """argparse that reports a bad flag as a single ``UsageError`` line instead of usage + exit."""

    def error(self, message):
        raise UsageError(f"{self.prog}: {message}")


def build_parser():
    parser = _Parser(prog="vmotion", description="vMotion Workshop: simulate, check and migrate.")
    parser.add_argument("--version", action="version", version=f"vmotion {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    sub.required = True
    for name in COMMANDS:
        importlib.import_module(f".commands.{name}", __package__).register(sub)
    return parser


def main(argv=None):
    """Run the CLI; return the exit code (0 ok, 1 blocked/failed, 2 usage error)."""
    try:
        args = build_parser().parse_args(argv)
        return int(args.func(args) or 0)
    except VMotionError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # e.g. `vmotion simulate ... | head`
        return 0


if __name__ == "__main__":
    sys.exit(main())
