"""The scenario schema (types, allowed values, ranges): stage 1 of loading, derived from the model.

Every field's checker is declared once, next to the field (:func:`~vmotion_core.fields.spec`): the
top-level sections of a file are the fields of :class:`~.environment.Environment`, the objects in
them those of :mod:`.model`. ``SECTIONS`` and ``SCHEMA`` collect them. A checker turns a raw YAML
value into a model value or records ``"path: message"`` in ``problems`` and returns ``BAD``. The
same checkers validate the arguments of the mutation methods, so a learner sees the same wording
from a file and from Python. Cross-object checks (references, duplicates) are in ``_semantics.py``.
"""

from ..fields import (BAD, Choice, FieldCheck, ListOf, Obj, Optional,  # noqa: F401
                      join_path, meaning_of, schema_of, unknown_key)
from .environment import Environment

__all__ = ["SCHEMA", "SECTIONS", "BAD", "FieldCheck", "join_path", "unknown_key", "objects"]

#: Top-level sections of a scenario file -> (checker, one-line meaning), in file order
#: (``schema_version`` first).
SECTIONS = {name: (check, meaning_of(Environment, name)) for name, check in sorted(
    schema_of(Environment).items(), key=lambda item: item[0] != "schema_version")}


def objects():
    """``[(path, cls)]`` of every model dataclass a scenario can hold, depth first from
    ``SECTIONS`` (``hosts[].vmknics[]``); a class nested in several places comes once per place."""
    found = []

    def walk(path, check):
        inner = check
        while isinstance(inner, (ListOf, Optional)):
            inner = inner.inner
        if isinstance(inner, Obj):
            here = path + ("[]" if isinstance(check, ListOf) else "")
            found.append((here, inner.cls))
            for name, sub in schema_of(inner.cls).items():
                walk(f"{here}.{name}", sub)

    for key, (check, _) in SECTIONS.items():
        walk(key, check)
    return found


#: class -> {yaml key (= field name): checker}, derived from the model's field declarations.
SCHEMA = {cls: schema_of(cls) for _, cls in objects()}
