"""An Environment as the plain mapping of a scenario file (defaults left out).

Below both :mod:`.environment` (``Environment.to_dict``) and :mod:`.scenario` (``dump_scenario``),
so neither imports the other.
"""

import dataclasses

from . import model as m

__all__ = ["environment_to_dict"]


def _plain(obj):
    if dataclasses.is_dataclass(obj):
        out = {}
        for f in dataclasses.fields(obj):
            value = getattr(obj, f.name)
            default = f.default if f.default_factory is dataclasses.MISSING else f.default_factory()
            if value != default:  # a required field's default is MISSING: always written
                out[f.name] = dict(value) if f.name == "advanced" else _plain(value)
        return out
    if isinstance(obj, (tuple, list)):
        return [_plain(v) for v in obj]
    return obj


def environment_to_dict(env):
    """The scenario-file mapping of ``env`` (JSON-safe; defaults left out)."""
    d = {"schema_version": m.SCHEMA_VERSION}
    for f in dataclasses.fields(env):
        value = getattr(env, f.name)
        if f.name == "name" or (f.name != "schema_version" and value not in ((), "", None)):
            d[f.name] = _plain(value)
    return d
