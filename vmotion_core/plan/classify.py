"""What kind of migration a request is: :func:`classify` resolves a
:class:`~vmotion_core.plan.MigrationRequest` against an environment into a :class:`MigrationPlan`:
the migration type (fact sheet §1), the destination host (:mod:`.placement`), which files move
where, and the network mapping per NIC. No rule is checked here (that is
:mod:`vmotion_core.compat`, which reads the plan); an impossible *request* (unknown names, nothing
to do, a pool in a cluster without DRS) raises :class:`~vmotion_core.errors.ConfigError`.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from ..errors import ConfigError
from ..inventory.products import version_tuple
from .placement import file_placement, resolve_target, target_host
from .request import MigrationRequest

__all__ = ["MigrationPlan", "classify", "cross_vcenter_path", "MIGRATION_TYPES",
           "CROSS_VCENTER_PATHS", "ACVM_CHOICE", "WIZARD_CHOICES"]

#: Labels :func:`classify` returns (fact sheet §1).
MIGRATION_TYPES = ("compute-only", "storage-only", "compute+storage", "cold", "suspended",
                   "cross-vcenter", "long-distance")
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

_COLD_LABELS = {"powered-off": "cold", "suspended": "suspended"}
#: Label of a live move within one vCenter and site, by its cost kind.
_LIVE_LABELS = {"shared-nothing": "compute+storage", "storage-vmotion": "storage-only",
                "vmotion": "compute-only"}
WIZARD_CHOICES = {  # Migrate wizard wording (vSphere 6.7 VM Administration p.260)
    (True, False): "Change compute resource only",
    (False, True): "Change storage only",
    (True, True): "Change both compute resource and storage",
}


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

    @property
    def vmotion(self):
        """True for a live move to another host: its memory goes over the vMotion network."""
        return self.live and self.changes_host

    def to_dict(self):
        return {**asdict(self), "live": self.live}


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
    target_kind, target_name, dst, drs = "host", source, source, None
    if req.target is not None:
        target_kind, target_name = resolve_target(env, req)
        dst, drs = target_host(env, target_kind, target_name, v.name, source)
    pool = target_name if target_kind == "resource-pool" else None
    vapp = target_name if target_kind == "vapp" else None
    in_pool = pool is not None or vapp is not None  # the target is a resource pool or vApp
    place, moves = file_placement(env, v, req)
    changes_host, changes_storage = dst != source, bool(moves)
    nets = dict(req.network_map)
    unknown = set(nets) - {n.network for n in v.nics}
    if unknown:
        known = ", ".join(sorted({n.network for n in v.nics})) or "none"
        raise ConfigError("network_map", f"VM {v.name!r} has no NIC on network "
                                         f"{sorted(unknown)[0]!r}; its networks: {known}")
    nic_map = tuple((n.name, n.network, nets.get(n.network, n.network)) for n in v.nics)
    if not (changes_host or changes_storage or in_pool):
        raise ConfigError("target", f"nothing to migrate: {v.name!r} already runs on {source!r} "
                                    "with its files where requested")
    src_vc, dst_vc = env.host_vcenter(source).name, env.host_vcenter(dst).name
    cross_vc = src_vc != dst_vc
    long_distance = env.host_site(source) != env.host_site(dst)
    rtt = env.rtt_ms(source, dst)
    if v.power_state in _COLD_LABELS:
        label, cost = _COLD_LABELS[v.power_state], "cold"
    else:
        cost = ("shared-nothing" if changes_host and changes_storage else
                "storage-vmotion" if changes_storage else "vmotion")
        label = ("long-distance" if long_distance else "cross-vcenter" if cross_vc
                 else _LIVE_LABELS[cost])
    choice = WIZARD_CHOICES[(changes_host or in_pool, changes_storage)]
    notes = []
    path = ""
    if cross_vc:
        path = cross_vcenter_path(env.vcenter(src_vc), env.vcenter(dst_vc))
        notes += [f"vCenter changes: {src_vc} -> {dst_vc}", f"path: {CROSS_VCENTER_PATHS[path]}"]
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
