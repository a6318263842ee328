"""One declaration per constraint: each field states its checker and meaning where it is defined.

A dataclass field declared with :func:`spec` carries a :class:`FieldCheck` (type, range, allowed
values) and a one-line meaning in its metadata::

    prefix: int = spec(Int(1, 32), "prefix length", 24)

Everything else is derived from that one place: the scenario loader's schema
(:func:`schema_of`), the argument checks of the environment's mutation methods, the pre-copy
config's validation (:func:`check_fields`), CLI help and the scenario-format reference page.

A checker has two wordings: the file's (YAML spelling, ``true``/``false``; every problem is
collected with its path) and the Python API's (``api=True``: Python spelling, ``True``/``False``,
and a range text with its unit; the first problem raises :class:`~vmotion_core.errors.ConfigError`).
"""

import dataclasses
import datetime
import difflib
import functools
import ipaddress
import numbers

from .errors import ConfigError, ScenarioError, shown

__all__ = ["BAD", "FieldCheck", "Text", "Name", "Label", "Bool", "Int", "Num", "Choice", "Instance",
           "IPv4", "IPAddress", "Version", "Optional", "ListOf", "Settings", "Obj", "spec",
           "schema_of", "meaning_of", "check_fields", "unknown_key", "join_path"]

BAD = object()  # marker: the value was rejected (a problem was recorded)
_SHOWN = ScenarioError.MAX_PROBLEMS  # problems past this are counted, not shown


def _show(value):
    return shown(value) if isinstance(value, str) else f"{shown(value)} ({type(value).__name__})"


def _quote_hint(value):
    # YAML read an unquoted 2023-02-28, 8.10 or yes as a date, number or boolean
    plain = (int, float, bool, datetime.date)
    return " (quote it to keep it as text)" if isinstance(value, plain) else ""


class FieldCheck:
    """Base checker: ``convert(value, path, problems)`` -> value or BAD; ``doc`` for the book."""
    doc = "any value"

    def convert(self, value, path, problems):
        msg = self.message(value)
        if msg:
            problems.append(f"{path}: {msg}")
            return BAD
        return self.normalise(value)

    def message(self, value):  # None when fine
        return None

    def normalise(self, value):
        return value


class Text(FieldCheck):
    doc = "text"

    def message(self, value):
        if not isinstance(value, str):
            return f"must be text, got {_show(value)}{_quote_hint(value)}"


class Name(Text):
    """A name. ``api``: what the Python API calls it (``"a VM name"``); selects that wording for
    a value that is not text or empty."""
    doc = "name"

    def __init__(self, api=None):
        self.api = api

    def message(self, value):
        if self.api and (not isinstance(value, str) or not value):
            return f"must be {self.api}, got {shown(value)}"
        if not isinstance(value, str):
            return f"must be a name (text), got {_show(value)}{_quote_hint(value)}"
        if not value.strip() or "/" in value or len(value) > 80 or not value.isprintable():
            return (f"{shown(value)} is not a valid name (non-empty text without '/' or control "
                    "characters, at most 80 characters)")


class Label(Text):
    doc = "label"

    def message(self, value):
        if not isinstance(value, str) or not value.strip() or len(value) > 80 \
                or not value.isprintable():
            return (f"must be a non-empty label of at most 80 characters without control "
                    f"characters, got {_show(value)}")


class Bool(FieldCheck):
    def __init__(self, api=False):
        self.api = api
        self.doc = "True or False" if api else "true or false"

    def message(self, value):
        if not isinstance(value, bool):
            return f"must be {self.doc}, got {shown(value) if self.api else _show(value)}"


class Int(FieldCheck):
    """A whole number in ``lo..hi`` (NumPy integers too with ``api=True``)."""

    def __init__(self, lo, hi, api=False):
        self.lo, self.hi, self.api = lo, hi, api
        self.doc = f"integer {lo}..{hi}"

    def message(self, value):
        kind = numbers.Integral if self.api else int
        if isinstance(value, bool) or not isinstance(value, kind) or not self.lo <= value <= self.hi:
            if self.api:
                return f"must be a whole number between {self.lo} and {self.hi}, got {shown(value)}"
            return f"must be an integer between {self.lo} and {self.hi}, got {_show(value)}"

    def normalise(self, value):
        return int(value) if self.api else value


class Num(FieldCheck):
    """A number in ``[lo, hi]`` (``(lo, hi]`` with ``lo_open``). ``allowed``: the range in the
    Python API's words with its unit (``"between 0.01 and 800 Gbit/s"``); it selects that
    wording. ``to_float``: store the value as a float."""

    def __init__(self, lo, hi, lo_open=False, allowed=None, to_float=False):
        self.lo, self.hi, self.lo_open = lo, hi, lo_open
        self.allowed, self.to_float = allowed, to_float
        self.doc = allowed or f"number {'>' if lo_open else '≥'} {lo} and ≤ {hi}"

    def _out(self, value):
        return value > self.hi or value < self.lo or (self.lo_open and value == self.lo)

    def message(self, value):
        if self.allowed is None:
            bad_type = isinstance(value, bool) or not isinstance(value, (int, float))
            if bad_type or value != value or self._out(value):
                low = f"greater than {self.lo}" if self.lo_open else f"at least {self.lo}"
                return f"must be a number {low} and at most {self.hi}, got {_show(value)}"
            return None
        # numbers.Real so NumPy scalars (np.arange, np.float32) work like Python numbers
        if isinstance(value, bool) or not isinstance(value, numbers.Real) or value != value:
            return f"must be a number {self.allowed}, got {shown(value)}"
        try:
            number = float(value)
        except OverflowError:  # an int beyond float range
            return f"must be {self.allowed}, got {shown(value, 40)}"
        if self._out(number):
            return f"must be {self.allowed}, got {number:g}"

    def normalise(self, value):
        return float(value) if self.to_float else value


class Choice(FieldCheck):
    """One of ``values``. ``allowed``: the choice in the Python API's words (``"4 (4 KiB) or
    2048 (2 MiB)"``); it selects that wording, as ``api=True`` does."""

    def __init__(self, values, api=False, allowed=None):
        self.values, self.api, self.allowed = tuple(values), api or bool(allowed), allowed
        self.doc = allowed or "one of " + ", ".join(f"`{v}`" for v in self.values)

    def message(self, value):
        try:
            ok = value in self.values
        except TypeError:  # an unhashable or odd value is simply not one of them
            ok = False
        if ok:
            return None
        if self.api:
            allowed = self.allowed or f"one of {', '.join(map(str, self.values))}"
            return f"must be {allowed}, got {shown(value)}"
        hint = " (YAML reads unquoted on/off/yes/no as true/false)" if isinstance(value, bool) else ""
        return f"{_show(value)} is not allowed; allowed: {', '.join(map(str, self.values))}{hint}"


class Instance(FieldCheck):
    """An instance of ``cls`` (a nested config object built and checked on its own)."""

    def __init__(self, cls):
        self.cls = cls
        self.doc = f"a {cls.__name__}"

    def message(self, value):
        if not isinstance(value, self.cls):
            return f"must be a {self.cls.__name__}, got {type(value).__name__}"


class IPAddress(FieldCheck):
    doc, kind = "IPv4 or IPv6 address (text)", "an IPv4 or IPv6 address"
    parse = staticmethod(ipaddress.ip_address)

    def message(self, value):
        try:
            self.parse(value if isinstance(value, str) else None)
        except ValueError:  # ipaddress.AddressValueError is one
            return f"{_show(value)} is not {self.kind}"


class IPv4(IPAddress):
    doc, kind = "IPv4 address (text, e.g. `10.0.50.11`)", "an IPv4 address"
    parse = staticmethod(ipaddress.IPv4Address)


class Version(FieldCheck):
    """Version text checked by ``parse`` (which raises ValueError with the message)."""
    doc = "vSphere version text: `8.0`, `8.0 U2`, `7.0 U1c`"

    def __init__(self, parse):
        self.parse = parse

    def message(self, value):
        text = self.normalise(value)
        if not isinstance(text, str) or len(text) > 40:  # parse's message would echo it whole
            text = "?"
        try:
            self.parse(text)
        except ValueError as exc:
            return str(exc).replace(repr(text), shown(value) if text == "?" else repr(text), 1)

    def normalise(self, value):
        # YAML reads an unquoted 8.0 as a number; accept it as the text it was meant to be.
        if isinstance(value, float) or isinstance(value, int) and not isinstance(value, bool) \
                and value.bit_length() < 64:
            return str(value)
        return value


class Optional(FieldCheck):
    def __init__(self, inner):
        self.inner = inner
        self.doc = f"{inner.doc}, or null"

    def convert(self, value, path, problems):
        return None if value is None else self.inner.convert(value, path, problems)

    def message(self, value):
        return None if value is None else self.inner.message(value)

    def normalise(self, value):
        return None if value is None else self.inner.normalise(value)


class ListOf(FieldCheck):
    """A list; ``None`` items stand for rejected objects (keeps indices for later messages)."""

    def __init__(self, inner):
        self.inner = inner
        self.doc = f"list of {inner.doc}"

    def convert(self, value, path, problems):
        if not isinstance(value, list):
            problems.append(f"{path}: must be a list, got {_show(value)}")
            return BAD
        out = [self.inner.convert(v, f"{path}[{i}]", problems) for i, v in enumerate(value)]
        if isinstance(self.inner, Obj):
            return tuple(None if v is BAD else v for v in out)
        return BAD if any(v is BAD for v in out) else tuple(out)


class Settings(FieldCheck):
    doc = "mapping of setting name to value (kept as text)"

    def convert(self, value, path, problems):
        if not isinstance(value, dict) or not all(isinstance(k, str) for k in value):
            problems.append(f"{path}: must be a mapping of setting names to values, got {_show(value)}")
            return BAD
        if any(isinstance(v, (dict, list)) or v is None for v in value.values()):
            problems.append(f"{path}: setting values must be plain text, numbers or booleans")
            return BAD
        return tuple((k, str(v).lower() if isinstance(v, bool) else str(v)) for k, v in value.items())


class Obj(FieldCheck):
    """A mapping that becomes dataclass ``cls``; keys and checkers come from its field specs."""

    def __init__(self, cls):
        self.cls = cls
        self.doc = f"{cls.__name__} mapping"

    def convert(self, value, path, problems):
        if not isinstance(value, dict):
            problems.append(f"{path}: must be a mapping, got {_show(value)}")
            return BAD
        schema = schema_of(self.cls)
        for key in value:
            if key not in schema:
                problems.append(f"{join_path(path, key)}: "
                                f"{unknown_key(key, schema, len(problems) < _SHOWN)}")
        kwargs, ok = {}, True
        for f in dataclasses.fields(self.cls):
            if f.name not in schema:
                continue
            required = f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
            if f.name not in value:
                if required:
                    problems.append(f"{join_path(path, f.name)}: required field missing")
                    ok = False
                continue
            got = schema[f.name].convert(value[f.name], join_path(path, f.name), problems)
            if got is BAD:
                ok = ok and not required
            else:
                kwargs[f.name] = got
        return self.cls(**kwargs) if ok else BAD


# --- declaring fields -----------------------------------------------------------------------

def spec(check, meaning, default=dataclasses.MISSING, *, default_factory=dataclasses.MISSING,
         compare=True):
    """A dataclass field whose checker and one-line meaning live in its metadata.

    ``default`` left out (and no ``default_factory``) makes the field required."""
    return dataclasses.field(default=default, default_factory=default_factory, compare=compare,
                             metadata={"check": check, "meaning": meaning})


@functools.cache
def schema_of(cls):
    """``{field name: FieldCheck}`` of dataclass ``cls``, in field order (declared fields only)."""
    return {f.name: f.metadata["check"] for f in dataclasses.fields(cls) if "check" in f.metadata}


def meaning_of(cls, name):
    """The one-line meaning declared for field ``name`` of ``cls`` ("" if none)."""
    f = next(f for f in dataclasses.fields(cls) if f.name == name)
    return f.metadata.get("meaning", "")


def check_fields(obj, prefix=""):
    """Check every declared field of dataclass instance ``obj`` in order (the Python API's
    wording); store normalised values; raise ConfigError naming ``prefix + field`` for the
    first problem."""
    for name, check in schema_of(type(obj)).items():
        value = getattr(obj, name)
        if isinstance(value, numbers.Number) and not isinstance(value, (int, float)) \
                and hasattr(value, "item"):
            value = value.item()  # NumPy scalars are stored as Python numbers (JSON-safe results)
        msg = check.message(value)
        if msg:
            raise ConfigError(prefix + name, msg)
        object.__setattr__(obj, name, check.normalise(value))


def unknown_key(key, allowed, suggest=True):
    """``"unknown key 'x'; did you mean 'y'? allowed: ..."`` (the suggestion only if close).

    ``suggest=False`` skips the (slow) search, e.g. for problems past what will be shown."""
    close = difflib.get_close_matches(key, list(allowed), n=1) \
        if suggest and isinstance(key, str) and len(key) <= 40 else ()
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    return f"unknown key {shown(key)}{hint}; allowed: {', '.join(allowed)}"


def join_path(path, key):
    """``path.key``; a key that is long or holds control characters is shown quoted and short
    (a path names a field: it never echoes a flood or a terminal escape sequence)."""
    if not isinstance(key, str) or len(key) > 40 or not key.isprintable():
        key = shown(key, 40)
    return f"{path}.{key}" if path else key
