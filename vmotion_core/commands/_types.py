"""argparse ``type=`` functions: strict parsing, messages in the CLI's words (no Python names)."""

import argparse

from ..errors import ConfigError
from ..units import parse_whole

__all__ = ["whole_number"]


def whole_number(text):
    """An integer flag value: ASCII digits with an optional '-' (``int()`` would also take
    ``"1_000"``, ``" 8 "``, other scripts' digits and thousands of digits)."""
    try:
        return parse_whole(text, "value")
    except ConfigError as exc:
        raise argparse.ArgumentTypeError(exc.reason) from None
