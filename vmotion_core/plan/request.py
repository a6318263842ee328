"""What a migration request asks for: :class:`MigrationRequest`, the user's wish (VM, target,
datastore, network mapping, priority) as the Migrate wizard or the API's RelocateSpec states it.

It holds names only; :func:`vmotion_core.plan.classify` resolves them against an environment.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from ..errors import ConfigError, shown
from ..fields import Choice, FieldCheck, Name, Optional, check_fields, spec
from ..inventory.model import ENCRYPTED_VMOTION_MODES

__all__ = ["MigrationRequest", "PRIORITIES", "TARGET_KINDS"]

PRIORITIES = ("high", "regular")
TARGET_KINDS = ("host", "cluster", "resource-pool", "vapp")


class Pairs(FieldCheck):
    """A mapping ``{SRC: DST}`` or ``(SRC, DST)`` pairs of names; kept as a sorted tuple."""
    doc = "mapping of names to names"

    def message(self, value):
        if value is None:
            return None
        if not isinstance(value, (dict, list, tuple)):
            return f"expected a mapping {{SRC: DST}} or (SRC, DST) pairs, got {type(value).__name__}"
        for item in value.items() if isinstance(value, dict) else value:
            try:
                a, b = item
            except (TypeError, ValueError):
                return f"expected SRC=DST pairs, got {shown(item)}"
            if not isinstance(a, str) or not isinstance(b, str) or not a or not b:
                return f"names must be non-empty text, got {shown(item)}"

    def normalise(self, value):
        if value is None:
            return ()
        return tuple(sorted(value.items() if isinstance(value, dict) else map(tuple, value)))


@dataclass(frozen=True)
class MigrationRequest:
    """A migration as the Migrate wizard (or the API's RelocateSpec) would ask for it.

    Parameters
    ----------
    vm : str
        The VM to move.
    target : str or None
        Host, cluster (DRS picks the host), resource pool or vApp. None: stay on the current
        host (a storage-only move).
    datastore : str or None
        Move all files (config, disks, swap in the VM directory) to this datastore.
    disk_datastores : dict or pairs
        Per-disk placement ``{"Hard disk 1": "ds2"}``; overrides ``datastore`` for those disks.
    network_map : dict or pairs
        Destination network per source network label ``{"VM-Prod": "VM Prod"}``.
    priority : {"high", "regular"}
        Migration priority (vSphere 6.7 p.276).
    encrypted_vmotion : {None, "disabled", "opportunistic", "required"}
        Override the VM's encrypted vMotion mode for this move.
    target_kind : {None, "host", "cluster", "resource-pool", "vapp"}
        Say what ``target`` names when a name is ambiguous.

    Examples
    --------
    >>> MigrationRequest(vm="web01", target="esx-02").target
    'esx-02'
    >>> MigrationRequest("web01", "esx-02", network_map={"VM-Prod": "VM Prod"}).network_map
    (('VM-Prod', 'VM Prod'),)
    """

    vm: str = spec(Name(api="a VM name"), "the VM to move")
    target: str | None = spec(Optional(Name(api="a name or None")),
                              "host, cluster, resource pool or vApp", None)
    datastore: str | None = spec(Optional(Name(api="a name or None")),
                                  "datastore for all the VM's files", None)
    disk_datastores: tuple = spec(Pairs(), "datastore per disk label", ())
    network_map: tuple = spec(Pairs(), "destination network per source network", ())
    priority: str = spec(Choice(PRIORITIES, api=True), "migration priority", "high")
    encrypted_vmotion: str | None = spec(
        Optional(Choice(ENCRYPTED_VMOTION_MODES, api=True)),
        "encrypted vMotion mode for this move (None: the VM's own)", None)
    target_kind: str | None = spec(Optional(Choice(TARGET_KINDS, api=True)),
                                   "what target names, when a name is ambiguous", None)

    def __post_init__(self):
        check_fields(self)
        if self.target is None and self.datastore is None and not self.disk_datastores:
            raise ConfigError("target", "give a target (host, cluster, resource pool or vApp), "
                                        "a datastore, or both")

    def to_dict(self):
        return {**asdict(self), "disk_datastores": dict(self.disk_datastores),
                "network_map": dict(self.network_map)}
