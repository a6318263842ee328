"""One base for every error the package raises on purpose.

Messages name the offending field and what is allowed, so a learner (or the CLI, which prints
them as one line and exits 2) never needs a traceback to see what went wrong.
"""

import reprlib

__all__ = ["VMotionError", "ConfigError", "ScenarioError", "UsageError", "shown"]

_REPR = reprlib.Repr()
_REPR.maxlevel, _REPR.maxlist, _REPR.maxtuple, _REPR.maxdict, _REPR.maxset = 2, 6, 6, 6, 6
_REPR.maxstring, _REPR.maxother, _REPR.maxlong = 60, 60, 40


def shown(value, limit=60):
    """``repr(value)`` for a message, shortened to about ``limit`` characters.

    Safe for anything a learner can hand in: a 50 MB string, an integer of 10,000 digits (which
    ``repr`` refuses), a deeply nested or self-referencing list.

    >>> shown("x" * 1000)
    "'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx'… (1,000 characters)"
    >>> shown(10 ** 5000)
    'a whole number of 5,001 digits'
    """
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 128:
        digits = len(str(abs(value))) if value.bit_length() < 4000 else _digits(abs(value))
        return f"a whole number of {digits:,} digits"
    if isinstance(value, str) and len(value) > limit:
        return f"{value[:limit]!r}… ({len(value):,} characters)"
    try:
        text = _REPR.repr(value)
    except Exception:  # a repr that fails (e.g. a huge int inside a list) must not hide the error
        text = f"<{type(value).__name__}>"
    return text if len(text) <= 2 * limit else text[:2 * limit] + "…"


def _digits(n):
    """Decimal digits of a big positive int without str() (which is limited to 4300 digits)."""
    guess = int(n.bit_length() * 0.30102999566398120) + 1
    return guess if n >= 10 ** (guess - 1) else guess - 1


class VMotionError(Exception):
    """Base class of all vMotion Workshop errors."""


class ConfigError(VMotionError, ValueError):
    """A value is outside what the model allows.

    Parameters
    ----------
    field : str
        Dotted name of the field (``"link.bandwidth_gbps"``).
    message : str
        What is wrong and what is allowed (``"must be between 0.1 and 400, got 0"``).
    """

    def __init__(self, field, message):
        self.field = field
        self.reason = message
        super().__init__(f"{field}: {message}")


class ScenarioError(VMotionError, ValueError):
    """A scenario file has problems; ``problems`` lists them as ``"path: message"`` (the first
    ``MAX_PROBLEMS``, then one line counting the rest: a broken file should not flood a screen)."""

    MAX_PROBLEMS = 100

    def __init__(self, source, problems):
        self.source = source
        problems = list(problems)
        if len(problems) > self.MAX_PROBLEMS:
            problems = problems[:self.MAX_PROBLEMS] + [
                f"... and {len(problems) - self.MAX_PROBLEMS:,} more problems"]
        self.problems = problems
        lines = "\n".join(f"  {p}" for p in self.problems)
        super().__init__(f"{source}: {len(self.problems)} problem(s)\n{lines}")


class UsageError(VMotionError):
    """A command-line flag or argument is wrong (the CLI exits with code 2)."""
