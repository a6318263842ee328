"""An Environment as the plain mapping of a scenario file (defaults left out).

Below both :mod:`.environment` (``Environment.to_dict``) and :mod:`.scenario` (``dump_scenario``),
so neither imports the other.
"""

import dataclasses

from . import model as m
from ._validate import SECTIONS

__all__ = ["environment_to_dict"]


def _plain(obj):
    if dataclasses.is_dataclass(obj):
        out = {}
        for f in dataclasses.fields(obj):
            value = getattr(obj, f.name)
            if f.default is not dataclasses.MISSING and value == f.default:
                continue
            if f.default_factory is not dataclasses.MISSING and value == f.default_factory():
                continue
            if f.name == "advanced":
                out[f.name] = dict(value)
            else:
                out[f.name] = _plain(value)
        return out
    if isinstance(obj, (tuple, list)):
        return [_plain(v) for v in obj]
    return obj


def environment_to_dict(env):
    """The scenario-file mapping of ``env`` (JSON-safe; defaults left out)."""
    d = {"schema_version": m.SCHEMA_VERSION}
    for key in SECTIONS:
        if key == "schema_version":
            continue
        value = getattr(env, key)
        if key == "name" or value not in ((), "", None):
            d[key] = _plain(value)
    return d
