"""Parse and format sizes, rates, durations and percentages.

Sizes and rates use binary prefixes for ``KiB/MiB/GiB/TiB`` and decimal ones for ``KB/MB/GB/TB``;
link speeds in bits (``Gbit/s``, ``Gbps``, ``Mb/s``) are decimal, as network vendors quote them.
Every parser returns base units: bytes, bytes per second, seconds, or a fraction (0..1).
Parsing is strict and linear in time: ASCII digits, at most one space before the unit, at most
``MAX_CHARS`` characters (the CLI and the API share these parsers).
"""

import math
import re

from .errors import ConfigError, shown

__all__ = [
    "parse_size", "parse_rate", "parse_duration", "parse_fraction", "parse_whole", "MAX_CHARS",
    "format_size", "format_rate", "format_duration", "format_nic_speed",
    "KiB", "MiB", "GiB", "TiB",
]

KiB, MiB, GiB, TiB = 1 << 10, 1 << 20, 1 << 30, 1 << 40

_SIZE = {
    "": 1, "b": 1, "byte": 1, "bytes": 1,
    "k": 1000, "kb": 1000, "m": 10**6, "mb": 10**6, "g": 10**9, "gb": 10**9, "t": 10**12, "tb": 10**12,
    "kib": KiB, "mib": MiB, "gib": GiB, "tib": TiB,
}
_BIT_PREFIX = {"": 1, "k": 1e3, "m": 1e6, "g": 1e9, "t": 1e12}  # link speeds are decimal
_TIME = {"": 1.0, "s": 1.0, "sec": 1.0, "second": 1.0, "seconds": 1.0,
         "ms": 1e-3, "us": 1e-6, "µs": 1e-6, "min": 60.0, "m": 60.0, "h": 3600.0}

#: Longest text a parser reads. "1.5e-3 GiB/s" needs 12; anything far longer is a mistake (or an
#: attack) and is refused before any work proportional to its length is done.
MAX_CHARS = 64

# ASCII digits only; optional fraction and exponent; at most one space before the unit. The
# pattern has no ambiguous repetition, and it only ever sees MAX_CHARS characters: linear time.
_VALUE = re.compile(r"(-?)((?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?) ?([A-Za-zµ/%]*)",
                    re.ASCII)
_MSG = {
    "type": "must be text such as {example} or a number, got {got}",
    "finite": "must be a finite number, got {got} (example: {example})",
    "long": "too long: {n:,} characters, at most {limit} (example: {example})",
    "negative": "must not be negative, got {got} (example: {example})",
    "syntax": "{got} is not {what} (ASCII digits, at most one space before the unit; "
              "example: {example})",
    "large": "{got} is too large (example: {example})",
    "whole": "{got} is not an integer (digits 0-9 only, optional leading '-')",
}


def _split(text, field, what, example):
    """``(value, unit)`` from ``"16 GiB"``-style text or a plain number (strict, linear time)."""
    if isinstance(text, (int, float)) and not isinstance(text, bool):
        if not math.isfinite(text) if isinstance(text, float) else abs(text) > 1e300:
            raise ConfigError(field, _MSG["finite"].format(got=shown(text), example=example))
        return float(text), ""
    if not isinstance(text, str):
        raise ConfigError(field, _MSG["type"].format(got=shown(text), example=example))
    if len(text) > MAX_CHARS:
        raise ConfigError(field, _MSG["long"].format(n=len(text), limit=MAX_CHARS, example=example))
    m = _VALUE.fullmatch(text.strip(" "))
    if not m:
        raise ConfigError(field, _MSG["syntax"].format(got=shown(text), what=what, example=example))
    if m.group(1):
        raise ConfigError(field, _MSG["negative"].format(got=shown(text), example=example))
    value = float(m.group(2))
    if not math.isfinite(value):  # "1e400" parses to inf: too large for any field
        raise ConfigError(field, _MSG["large"].format(got=shown(text), example=example))
    return value, m.group(3)


def parse_whole(text, field="count"):
    """Return an integer from ``"8"``, ``"-1"`` or an int (strict: ASCII digits, at most
    ``MAX_CHARS``; no ``"1.0"``, ``"1_000"``, ``" 8"`` or other scripts' digits).

    >>> parse_whole("16"), parse_whole(-3)
    (16, -3)
    """
    if isinstance(text, int) and not isinstance(text, bool):
        return text
    if not isinstance(text, str):
        raise ConfigError(field, _MSG["whole"].format(got=shown(text)))
    if len(text) > MAX_CHARS:
        raise ConfigError(field, _MSG["long"].format(n=len(text), limit=MAX_CHARS, example="8"))
    if not re.fullmatch(r"-?[0-9]+", text, re.ASCII):
        raise ConfigError(field, _MSG["whole"].format(got=shown(text)))
    return int(text)


def parse_size(text, field="size"):
    """Return a size in bytes from ``"16GiB"``, ``"512 MB"``, ``"4KiB"`` or a number of bytes.

    >>> parse_size("16GiB")
    17179869184
    """
    value, unit = _split(text, field, "a size", "16GiB")
    factor = _SIZE.get(unit.lower())
    if factor is None:
        raise ConfigError(field, f"unknown size unit {unit!r} (allowed: B, KiB, MiB, GiB, TiB, KB, MB, GB, TB)")
    if not math.isfinite(value * factor):
        raise ConfigError(field, _MSG["large"].format(got=shown(text), example="16GiB"))
    return int(round(value * factor))


def parse_rate(text, field="rate"):
    """Return a rate in bytes per second.

    Accepts byte rates (``"500MiB/s"``, ``"1 GB/s"``) and bit rates (``"10Gbit/s"``,
    ``"10Gbps"``, ``"100 Mb/s"``). A bare number is bytes per second.

    >>> parse_rate("10Gbit/s")
    1250000000.0
    >>> parse_rate("500MiB/s") == 500 * 2**20
    True
    """
    value, unit = _split(text, field, "a rate", "10Gbit/s or 500MiB/s")
    if unit == "":
        return value
    if unit.endswith(("/s", "ps", "Ps")):
        base = unit[:-2]
        low = base.lower()
        # a lower-case trailing b ("Mb/s", "Gbps") or "bit" means bits; "B", "MB", "MiB" mean bytes
        if low.endswith("bit") and low[:-3] in _BIT_PREFIX:
            return value * _BIT_PREFIX[low[:-3]] / 8
        if base.endswith("b") and low[:-1] in _BIT_PREFIX:
            return value * _BIT_PREFIX[low[:-1]] / 8
        factor = _SIZE.get(low)
        if factor is not None and (unit.endswith("/s") or base.endswith("B")):
            return value * factor
    raise ConfigError(field, f"unknown rate unit {unit!r} "
                             "(allowed: MiB/s, GiB/s, MB/s, GB/s, Mbit/s, Gbit/s, Mbps, Gbps)")


def parse_duration(text, field="duration"):
    """Return a duration in seconds from ``"500ms"``, ``"2 s"``, ``"1.5min"`` or a number of seconds.

    >>> parse_duration("500ms")
    0.5
    """
    value, unit = _split(text, field, "a duration", "500ms")
    factor = _TIME.get(unit.lower())
    if factor is None:
        raise ConfigError(field, f"unknown time unit {unit!r} (allowed: us, ms, s, min, h)")
    return value * factor


def parse_fraction(text, field="fraction"):
    """Return a fraction 0..1 from ``"10%"`` or ``0.1``.

    >>> parse_fraction("10%")
    0.1
    """
    value, unit = _split(text, field, "a fraction", "10% or 0.1")
    if unit == "%":
        value /= 100.0
    elif unit:
        raise ConfigError(field, f"unknown unit {unit!r} (allowed: % or a plain fraction)")
    if not 0.0 <= value <= 1.0:
        raise ConfigError(field, f"must be between 0 and 1 (0% and 100%), got {shown(text)}")
    return value


def format_size(n_bytes, digits=2):
    """Format bytes with a binary prefix.

    >>> format_size(3 * 2**30), format_size(512)
    ('3.00 GiB', '512 B')
    """
    n = float(n_bytes)
    for unit, factor in (("TiB", TiB), ("GiB", GiB), ("MiB", MiB), ("KiB", KiB)):
        if abs(n) >= factor:
            return f"{n / factor:.{digits}f} {unit}"
    return f"{int(n)} B"


def format_rate(bytes_per_s, digits=2):
    """Format a rate (bytes/s) as bits per second, the way links are quoted.

    >>> format_rate(1.25e9)
    '10.00 Gbit/s'
    """
    bits = float(bytes_per_s) * 8
    for unit, factor in (("Tbit/s", 1e12), ("Gbit/s", 1e9), ("Mbit/s", 1e6), ("kbit/s", 1e3)):
        if abs(bits) >= factor:
            return f"{bits / factor:.{digits}f} {unit}"
    return f"{bits:.0f} bit/s"


def format_nic_speed(speed_mbps):
    """Short NIC port speed, as switch and NIC vendors label ports.

    >>> format_nic_speed(10000), format_nic_speed(2500), format_nic_speed(100)
    ('10G', '2.5G', '100M')
    """
    return f"{speed_mbps / 1000:g}G" if speed_mbps >= 1000 else f"{speed_mbps:g}M"


def format_duration(seconds):
    """Format seconds for people.

    >>> format_duration(0.412), format_duration(8.589), format_duration(125)
    ('412 ms', '8.59 s', '2 min 05 s')
    """
    s = float(seconds)
    if math.isinf(s) or math.isnan(s):
        return str(s)
    if s < 1:
        return f"{s * 1000:.0f} ms" if s >= 0.001 else f"{s * 1e6:.0f} µs"
    if s < 120:
        return f"{s:.2f} s"
    m, rest = divmod(int(round(s)), 60)
    return f"{m} min {rest:02d} s"
