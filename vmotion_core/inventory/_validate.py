"""The scenario schema (types, allowed values, ranges): stage 1 of loading, derived from the model.

Every field's checker is declared once, next to the field in :mod:`.model`
(:func:`~vmotion_core.fields.spec`); ``SCHEMA`` collects them per class and ``SECTIONS`` names the
top-level sections of a file. A checker turns a raw YAML value into a model value or records
``"path: message"`` in ``problems`` and returns ``BAD``. The same checkers validate the arguments
of the mutation methods, so a learner sees the same wording from a file and from Python.
Cross-object checks (references, duplicates) are in ``_semantics.py``.
"""

from ..fields import (BAD, Choice, FieldCheck, Int, ListOf, Name, Obj, Optional, Text,  # noqa: F401
                      join_path, schema_of, unknown_key)
from . import model as m

__all__ = ["SCHEMA", "SECTIONS", "BAD", "FieldCheck", "join_path", "unknown_key"]


#: Top-level sections of a scenario file -> (checker, one-line meaning) (order = file order).
SECTIONS = {
    "schema_version": (Int(1, 1 << 16), "format version of the file; this code reads 1"),
    "name": (Name(), "scenario name (kebab-case)"),
    "story": (Text(), "one line: what this site is and what it teaches"),
    "description": (Text(), "longer notes for instructors (optional)"),
    "sites": (ListOf(Obj(m.Site)), "physical locations"),
    "site_links": (ListOf(Obj(m.SiteLink)), "WAN links between sites (RTT, bandwidth)"),
    "vcenters": (ListOf(Obj(m.VCenter)), "vCenter Server instances"),
    "datacenters": (ListOf(Obj(m.Datacenter)), "datacenters, each in one vCenter and site"),
    "clusters": (ListOf(Obj(m.Cluster)), "clusters (DRS, EVC, HA, VM/Host rules)"),
    "licenses": (ListOf(Obj(m.License)), "licenses that hosts name"),
    "hosts": (ListOf(Obj(m.Host)), "ESXi hosts with CPU, uplinks, switches, vmknics"),
    "distributed_switches": (ListOf(Obj(m.DistributedSwitch)), "vSphere Distributed Switches"),
    "datastores": (ListOf(Obj(m.Datastore)), "datastores and the hosts that mount them"),
    "vms": (ListOf(Obj(m.VM)), "virtual machines"),
    "resource_pools": (ListOf(Obj(m.ResourcePool)), "resource pools"),
    "vapps": (ListOf(Obj(m.VApp)), "vApps"),
    "changes": (ListOf(Text()), "what was changed since the scenario was made (written by dump)"),
}


def _classes():
    """Every model dataclass a scenario can hold, found by walking from ``SECTIONS``."""
    seen, todo = [], [check for check, _ in SECTIONS.values()]
    while todo:
        check = todo.pop(0)
        while isinstance(check, (ListOf, Optional)):
            check = check.inner
        if isinstance(check, Obj) and check.cls not in seen:
            seen.append(check.cls)
            todo += schema_of(check.cls).values()
    return seen


#: class -> {yaml key (= field name): checker}, derived from the model's field declarations.
SCHEMA = {cls: schema_of(cls) for cls in _classes()}
