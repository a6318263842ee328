"""What a migration request asks for: :class:`MigrationRequest`, the user's wish (VM, target,
datastore, network mapping, priority) as the Migrate wizard or the API's RelocateSpec states it.

It holds names only; :func:`vmotion_core.plan.classify` resolves them against an environment.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from ..errors import ConfigError
from ..inventory.model import ENCRYPTED_VMOTION_MODES as _ENC_MODES

__all__ = ["MigrationRequest", "PRIORITIES", "TARGET_KINDS"]

PRIORITIES = ("high", "regular")
TARGET_KINDS = ("host", "cluster", "resource-pool", "vapp")


def _pairs(value, field_name):
    """Accept a dict or pairs; return a sorted tuple of (str, str) pairs."""
    if value is None:
        return ()
    if not isinstance(value, (dict, list, tuple)):
        raise ConfigError(field_name, f"expected a mapping {{SRC: DST}} or (SRC, DST) pairs, "
                                      f"got {type(value).__name__}")
    items = value.items() if isinstance(value, dict) else value
    out = []
    for item in items:
        try:
            a, b = item
        except (TypeError, ValueError):
            raise ConfigError(field_name, f"expected SRC=DST pairs, got {item!r}") from None
        if not isinstance(a, str) or not isinstance(b, str) or not a or not b:
            raise ConfigError(field_name, f"names must be non-empty text, got {item!r}")
        out.append((a, b))
    return tuple(sorted(out))


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

    vm: str
    target: str | None = None
    datastore: str | None = None
    disk_datastores: tuple = ()
    network_map: tuple = ()
    priority: str = "high"
    encrypted_vmotion: str | None = None
    target_kind: str | None = None

    def __post_init__(self):
        if not isinstance(self.vm, str) or not self.vm:
            raise ConfigError("vm", f"must be a VM name, got {self.vm!r}")
        for name in ("target", "datastore"):
            v = getattr(self, name)
            if v is not None and (not isinstance(v, str) or not v):
                raise ConfigError(name, f"must be a name or None, got {v!r}")
        object.__setattr__(self, "disk_datastores", _pairs(self.disk_datastores, "disk_datastores"))
        object.__setattr__(self, "network_map", _pairs(self.network_map, "network_map"))
        if self.priority not in PRIORITIES:
            raise ConfigError("priority", f"must be one of {', '.join(PRIORITIES)}, got {self.priority!r}")
        if self.encrypted_vmotion not in (None,) + _ENC_MODES:
            raise ConfigError("encrypted_vmotion", f"must be one of {', '.join(_ENC_MODES)} or None, "
                                                   f"got {self.encrypted_vmotion!r}")
        if self.target_kind not in (None,) + TARGET_KINDS:
            raise ConfigError("target_kind", f"must be one of {', '.join(TARGET_KINDS)}, "
                                             f"got {self.target_kind!r}")
        if self.target is None and self.datastore is None and not self.disk_datastores:
            raise ConfigError("target", "give a target (host, cluster, resource pool or vApp), "
                                        "a datastore, or both")

    def to_dict(self):
        d = asdict(self)
        d["disk_datastores"] = dict(self.disk_datastores)
        d["network_map"] = dict(self.network_map)
        return d
