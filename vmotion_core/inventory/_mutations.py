"""Mutation methods of :class:`Environment`: each returns a NEW environment and appends one
readable line to ``changes`` (``"esx-02 vmk1: mtu 1500 -> 9000"``), so a lab can record what a
learner changed. Arguments are checked with the scenario loader's checkers (same wording), and
the new environment must pass the loader's cross-object checks too.

This module holds what they share: the argument checks, the change-line helpers and the one
place a new environment is made (``_Mutations._commit``). The methods themselves are in one mixin
per object they change: ``_host_mutations.py``, ``_switch_mutations.py``, ``_vm_mutations.py``
and ``_shared_mutations.py`` (cluster, datastore, site link, vCenter).
"""

import dataclasses

from ..errors import ConfigError
from ..fields import schema_of
from ._semantics import check_environment


def _fmt(value):
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "none"
    if isinstance(value, (tuple, list)):
        return "[" + ", ".join(_fmt(v) for v in value) + "]"
    if dataclasses.is_dataclass(value):
        return ", ".join(f"{f.name}={_fmt(getattr(value, f.name))}" for f in dataclasses.fields(value))
    return str(value)


def checked(cls, fields, label, allowed=None):
    """Validate ``fields`` (a dict) for dataclass ``cls`` with the loader's checkers.

    Raises ConfigError(``label.field``, message) for the first bad one; returns converted values.
    """
    out = {}
    spec = schema_of(cls)
    for key, value in fields.items():
        if key not in spec or (allowed is not None and key not in allowed):
            names = ", ".join(allowed if allowed is not None else spec)
            raise ConfigError(f"{label}.{key}", f"cannot be set here; settable: {names}")
        if isinstance(value, tuple):
            value = list(value)
        if dataclasses.is_dataclass(value):
            value = dataclasses.asdict(value)
        problems = []
        got = spec[key].convert(value, f"{label}.{key}", problems)
        if problems:
            _raise_first(problems)
        out[key] = got
    return out


def built(cls, label, **fields):
    """A new ``cls`` from ``fields``, checked as :func:`checked` does."""
    return cls(**checked(cls, fields, label))


def updated(old, fields, label, allowed=None):
    """``old`` with ``fields`` changed, checked as :func:`checked` does."""
    return dataclasses.replace(old, **checked(type(old), fields, label, allowed))


def _raise_first(problems):
    field, _, message = problems[0].partition(": ")
    raise ConfigError(field, message)


def diff_line(subject, old, new):
    """``"subject: a 1 -> 2, b x -> y"`` for the fields that differ between two dataclasses."""
    parts = [f"{f.name} {_fmt(getattr(old, f.name))} -> {_fmt(getattr(new, f.name))}"
             for f in dataclasses.fields(old) if getattr(old, f.name) != getattr(new, f.name)]
    return f"{subject}: {', '.join(parts) or 'no change'}"


def member(items, name, field, what, owner):
    """The item of ``items`` called ``name``; otherwise a ConfigError on ``field`` that names
    ``what`` it is, its ``owner`` (``"of 'web01'"``) and the names that do exist."""
    for item in items:
        if item.name == name:
            return item
    raise ConfigError(field, f"unknown {what} {name!r} {owner}; known: "
                             f"{', '.join(i.name for i in items) or 'none'}")


def swap(seq, name, new):
    """Tuple ``seq`` with the item called ``name`` replaced by ``new`` (None: removed)."""
    return tuple(new if o.name == name else o for o in seq if o.name != name or new is not None)


class _Mutations:
    """Base of the mutation mixins: make the new environment, record the change, re-check it."""

    def _commit(self, line, **collections):
        """New environment with ``collections`` replaced and ``line`` recorded; must stay valid."""
        env = dataclasses.replace(self, changes=self.changes + (line,), **collections)
        problems = check_environment(env)
        if problems:
            _raise_first(problems)
        return env

    def _replace(self, collection, old, new, line=None):
        """Commit ``new`` in place of ``old`` in top-level ``collection``; the change line is
        ``line`` or the fields that differ."""
        return self._commit(line or diff_line(old.name, old, new),
                            **{collection: swap(getattr(self, collection), old.name, new)})

    def _with_host(self, host, line, **fields):
        h = self.host(host)
        return self._replace("hosts", h, dataclasses.replace(h, **fields), line)

    def _with_vm(self, vm, line, **fields):
        old = self.vm(vm)
        return self._replace("vms", old, dataclasses.replace(old, **fields), line)
