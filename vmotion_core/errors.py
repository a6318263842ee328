"""One base for every error the package raises on purpose.

Messages name the offending field and what is allowed, so a learner (or the CLI, which prints
them as one line and exits 2) never needs a traceback to see what went wrong.
"""

__all__ = ["VMotionError", "ConfigError", "ScenarioError", "UsageError"]


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
    """A scenario file has problems; ``problems`` lists every one as ``"path: message"``."""

    def __init__(self, source, problems):
        self.source = source
        self.problems = list(problems)
        lines = "\n".join(f"  {p}" for p in self.problems)
        super().__init__(f"{source}: {len(self.problems)} problem(s)\n{lines}")


class UsageError(VMotionError):
    """A command-line flag or argument is wrong (the CLI exits with code 2)."""
