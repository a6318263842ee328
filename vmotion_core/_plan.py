"""What a migration request asks for, and what kind of migration that is.

:class:`MigrationRequest` is the user's wish (VM, target, datastore, network mapping);
:func:`classify` resolves it against an environment into a :class:`MigrationPlan`: the migration
type (fact sheet §1), the destination host (with the DRS pick explained for a cluster, resource
pool or vApp target), which files move where, and the network mapping per NIC. No rule is checked
here (that is :mod:`vmotion_core.compat`); an impossible *request* (unknown names, nothing to do,
a pool in a cluster without DRS) raises :class:`~vmotion_core.errors.ConfigError`.

Simplification: DRS's pick is modelled as "the compatible candidate with the most free memory"
(connected, not in maintenance mode, honouring the cluster's *must* VM/Host rules); real DRS
weighs CPU and memory demand and more.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from .errors import ConfigError
from .inventory.catalog import version_tuple
from .inventory.environment import disk_label

__all__ = ["MigrationRequest", "MigrationPlan", "classify", "MIGRATION_TYPES", "PRIORITIES",
           "WIZARD_CHOICES", "free_memory_gib",
           "CROSS_VCENTER_PATHS", "ACVM_CHOICE", "cross_vcenter_path"]

#: Labels :func:`classify` returns (fact sheet §1).
MIGRATION_TYPES = ("compute-only", "storage-only", "compute+storage", "cold", "suspended",
                   "cross-vcenter", "long-distance")
PRIORITIES = ("high", "regular")
TARGET_KINDS = ("host", "cluster", "resource-pool", "vapp")
#: How a move between vCenters is made (fact sheet §1.6, §1.7, §2.5), in words for people.
CROSS_VCENTER_PATHS = {
    "linked-mode": "cross vCenter vMotion in the Migrate wizard (Enhanced Linked Mode, one SSO "
                   "domain)",
    "acvm": "Advanced Cross vCenter vMotion (vCenter 7.0 U1c or later, different SSO domains: "
            "'Cross vCenter Server export' in the Migrate wizard, or 'Import VMs' at the "
            "destination)",
    "api": "only through the API (a RelocateSpec naming the other vCenter); the vSphere Client "
           "offers no path between these vCenters",
}
#: Wizard wording of the ACVM path (fact sheet §1.7).
ACVM_CHOICE = "Cross vCenter Server export"
_ACVM_VERSION = (7, 0, 1, "c")

WIZARD_CHOICES = {  # Migrate wizard wording (vSphere 6.7 VM Administration p.260)
    (True, False): "Change compute resource only",
    (False, True): "Change storage only",
    (True, True): "Change both compute resource and storage",
}
_ENC_MODES = ("disabled", "opportunistic", "required")


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


@dataclass(frozen=True)
class MigrationPlan:
    """The resolved request: type, hosts, file moves, NIC mapping (see :func:`classify`)."""

    label: str
    vm: str
    power_state: str
    source_host: str
    target_host: str
    target_kind: str
    target_name: str
    changes_host: bool
    changes_storage: bool
    cross_vcenter: bool
    long_distance: bool
    rtt_ms: float | None
    source_vcenter: str
    target_vcenter: str
    wizard_choice: str
    file_moves: tuple = ()        # ((what, from_ds, to_ds), ...) file groups that move
    placement: tuple = ()         # ((what, ds), ...) where every file group ends up
    nic_map: tuple = ()           # ((nic, from_network, to_network), ...)
    resource_pool: str | None = None
    vapp: str | None = None
    drs_pick: str | None = None   # explanation when DRS chose the host
    cost_kind: str = "vmotion"    # vmotion | storage-vmotion | shared-nothing | cold
    notes: tuple = field(default=())
    cross_vcenter_path: str = ""  # "" (same vCenter) or a key of CROSS_VCENTER_PATHS

    @property
    def live(self):
        """True for a running VM (vMotion / Storage vMotion), False for cold or suspended."""
        return self.power_state not in ("powered-off", "suspended")

    def to_dict(self):
        d = asdict(self)
        d["live"] = self.live
        return d


def cross_vcenter_path(src_vc, dst_vc):
    """Which path moves a VM from vCenter ``src_vc`` to ``dst_vc`` (objects with ``sso_domain``,
    ``enhanced_linked_mode``, ``version``): ``linked-mode`` when both are in Enhanced Linked Mode
    in one SSO domain (§1.6); else ``acvm`` when one of them runs 7.0 U1c or later, which has
    Advanced Cross vCenter vMotion (§1.7; its other requirements are checked by the vCenter
    rules); else ``api``: only the API can (§1.6, §2.5)."""
    if (src_vc.sso_domain == dst_vc.sso_domain and src_vc.enhanced_linked_mode
            and dst_vc.enhanced_linked_mode):
        return "linked-mode"
    if max(version_tuple(src_vc.version), version_tuple(dst_vc.version)) >= _ACVM_VERSION:
        return "acvm"
    return "api"


def free_memory_gib(env, host):
    """Host memory not taken by the powered-on VMs registered on it (a simplification of
    admission control: configured memory counts, overcommitment is ignored)."""
    used = sum(v.memory_gib for v in env.vms_on(host) if v.power_state != "powered-off")
    return env.host(host).memory_gib - used


def _resolve_target(env, req):
    """(kind, name) of the request's target."""
    kinds = [req.target_kind] if req.target_kind else list(TARGET_KINDS)
    getters = {"host": env.host, "cluster": env.cluster, "resource-pool": env.resource_pool,
               "vapp": env.vapp}
    for kind in kinds:
        try:
            getters[kind](req.target)
            return kind, req.target
        except ConfigError:
            continue
    known = sorted({o.name for coll in (env.hosts, env.clusters, env.resource_pools, env.vapps)
                    for o in coll})
    what = req.target_kind or "host, cluster, resource pool or vApp"
    raise ConfigError("target", f"unknown {what} {req.target!r}; known: {', '.join(known)}")


def _rule_blocks(cluster, vm, host):
    r = next((r for r in cluster.rules if r.forbids(vm, host)), None)
    if r is None:
        return None
    if r.kind == "must-run-on":
        return f"VM/Host rule '{r.name}' (must run on {', '.join(r.hosts)})"
    return f"VM/Host rule '{r.name}' (must not run on {host})"


def _drs_pick(env, cluster_name, vm, source, via, candidates=None, require_drs=True):
    """``(host, explanation)``: the host DRS picks in ``cluster_name`` for ``vm`` leaving
    ``source``. ``candidates`` limits the hosts considered (None: the whole cluster);
    ``require_drs=False`` picks the same way in a cluster without DRS (evacuation planning)."""
    cl = env.cluster(cluster_name)
    if require_drs and not cl.drs_enabled:
        raise ConfigError("target", f"{via} cluster {cl.name!r} has DRS turned off, so vCenter "
                                    "cannot pick a host: choose a host inside it "
                                    f"({', '.join(h.name for h in env.hosts_in(cl.name))})")
    v = env.vm(vm)
    ranked, skipped = [], []
    for h in env.hosts_in(cl.name):
        if h.name == source or (candidates is not None and h.name not in candidates):
            continue
        if h.connection_state != "connected":
            why = h.connection_state
        elif h.maintenance_mode:
            why = "maintenance mode"
        else:
            why = _rule_blocks(cl, vm, h.name)
        if why is None and free_memory_gib(env, h.name) < max(v.memory_reservation_gib, 0):
            why = "not enough free memory for the reservation"
        if why:
            skipped.append(f"{h.name} ({why})")
        else:
            ranked.append((-free_memory_gib(env, h.name), h.name))
    if not ranked:
        raise ConfigError("target", f"DRS finds no host in cluster {cl.name!r} for {vm!r}: "
                                    + ("; ".join(skipped) or "the cluster has no other host"))
    ranked.sort()
    pick = ranked[0][1]
    listing = ", ".join(f"{n} ({-m:g} GiB free)" for m, n in ranked)
    text = (f"DRS ({cl.drs_automation}) recommends {pick}: the most free memory among "
            f"{listing}")
    if skipped:
        text += f"; not considered: {', '.join(skipped)}"
    text += ". vCenter runs the compatibility checks against this host."
    return pick, text


def _host_for_pool(env, kind, name, vm, source):
    pool = env.resource_pool(name) if kind == "resource-pool" else env.vapp(name)
    label = "resource pool" if kind == "resource-pool" else "vApp"
    if pool.host:  # a standalone host's pool: that host (RelocateSpec rules)
        return pool.host, None, pool.cluster
    cl = env.cluster(pool.cluster)
    if not cl.drs_enabled:
        raise ConfigError("target", f"InvalidArgument: {label} {name!r} belongs to cluster "
                                    f"{cl.name!r}, which has no DRS; give a host as well")
    host, why = _drs_pick(env, cl.name, vm, source, f"the {label}'s")
    return host, why, cl.name


def _placement(env, v, req):
    """Where every file group ends up: ((what, ds), ...) and the moves among them."""
    per_disk = dict(req.disk_datastores)
    unknown = set(per_disk) - {d.name for d in v.disks}
    if unknown:
        raise ConfigError("disk_datastores", f"VM {v.name!r} has no disk {sorted(unknown)[0]!r}; "
                                             f"disks: {', '.join(d.name for d in v.disks) or 'none'}")
    for ds in ([req.datastore] if req.datastore else []) + list(per_disk.values()):
        env.datastore(ds)  # ConfigError for an unknown name
    config_to = req.datastore or v.config_datastore
    place, moves = [("config", config_to)], []
    if config_to != v.config_datastore:
        moves.append(("config", v.config_datastore, config_to))
    for d in v.disks:
        to = per_disk.get(d.name, req.datastore or d.datastore)
        place.append((disk_label(d.name), to))
        if to != d.datastore:
            moves.append((disk_label(d.name), d.datastore, to))
    return tuple(place), tuple(moves)


def classify(env, req):
    """Resolve ``req`` against ``env`` into a :class:`MigrationPlan` (no rules are checked).

    The label follows the fact sheet §1: a powered-off VM is ``cold``, a suspended one
    ``suspended``; a running VM is ``long-distance`` when the hosts stand in different sites,
    else ``cross-vcenter`` when the vCenter changes, else ``compute+storage``, ``storage-only`` or
    ``compute-only``. The flags (``changes_host``, ``changes_storage``, ``cross_vcenter``,
    ``long_distance``) carry the rest.

    Examples
    --------
    >>> from vmotion_core.inventory import load_scenario
    >>> env = load_scenario("healthy-cluster")
    >>> classify(env, MigrationRequest("web01", target="esx-02")).label
    'compute-only'
    """
    if not isinstance(req, MigrationRequest):
        raise ConfigError("request", f"must be a MigrationRequest, got {type(req).__name__}")
    if not hasattr(env, "vm") or not hasattr(env, "hosts"):
        raise ConfigError("env", f"must be an Environment (e.g. load_scenario(...)), "
                                 f"got {type(env).__name__}")
    v = env.vm(req.vm)
    source = v.host
    pool = vapp = drs = None
    target_kind, target_name = "host", source
    dst = source
    if req.target is not None:
        target_kind, target_name = _resolve_target(env, req)
        if target_kind == "host":
            dst = target_name
        elif target_kind == "cluster":
            dst, drs = _drs_pick(env, target_name, v.name, source, "the target")
        else:
            dst, drs, _ = _host_for_pool(env, target_kind, target_name, v.name, source)
            if target_kind == "resource-pool":
                pool = target_name
            else:
                vapp = target_name
    place, moves = _placement(env, v, req)
    changes_host, changes_storage = dst != source, bool(moves)
    nets = dict(req.network_map)
    unknown = set(nets) - {n.network for n in v.nics}
    if unknown:
        raise ConfigError("network_map", f"VM {v.name!r} has no NIC on network {sorted(unknown)[0]!r}; "
                                         f"its networks: {', '.join(sorted({n.network for n in v.nics})) or 'none'}")
    nic_map = tuple((n.name, n.network, nets.get(n.network, n.network)) for n in v.nics)
    if not changes_host and not changes_storage and pool is None and vapp is None:
        raise ConfigError("target", f"nothing to migrate: {v.name!r} already runs on {source!r} "
                                    "with its files where requested")
    src_vc, dst_vc = env.host_vcenter(source).name, env.host_vcenter(dst).name
    cross_vc = src_vc != dst_vc
    long_distance = env.host_site(source) != env.host_site(dst)
    rtt = env.rtt_ms(source, dst)
    if v.power_state == "powered-off":
        label, cost = "cold", "cold"
    elif v.power_state == "suspended":
        label, cost = "suspended", "cold"
    else:
        cost = ("shared-nothing" if changes_host and changes_storage else
                "storage-vmotion" if changes_storage else "vmotion")
        if long_distance:
            label = "long-distance"
        elif cross_vc:
            label = "cross-vcenter"
        else:
            label = {"shared-nothing": "compute+storage", "storage-vmotion": "storage-only",
                     "vmotion": "compute-only"}[cost]
    choice = WIZARD_CHOICES.get((changes_host or pool is not None or vapp is not None,
                                 changes_storage), "Change compute resource only")
    notes = []
    path = ""
    if cross_vc:
        path = cross_vcenter_path(env.vcenter(src_vc), env.vcenter(dst_vc))
        notes.append(f"vCenter changes: {src_vc} -> {dst_vc}")
        notes.append(f"path: {CROSS_VCENTER_PATHS[path]}")
        if path == "acvm":
            choice = ACVM_CHOICE
    if long_distance:
        notes.append(f"sites differ: {env.host_site(source)} -> {env.host_site(dst)}, "
                     f"RTT {rtt if rtt is not None else 'unknown (no site link)'} ms")
    return MigrationPlan(
        label=label, vm=v.name, power_state=v.power_state, source_host=source, target_host=dst,
        target_kind=target_kind, target_name=target_name, changes_host=changes_host,
        changes_storage=changes_storage, cross_vcenter=cross_vc, long_distance=long_distance,
        rtt_ms=rtt, source_vcenter=src_vc, target_vcenter=dst_vc, wizard_choice=choice,
        file_moves=moves, placement=place, nic_map=nic_map, resource_pool=pool, vapp=vapp,
        drs_pick=drs, cost_kind=cost, notes=tuple(notes), cross_vcenter_path=path)
