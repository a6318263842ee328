"""Arguments shared by ``vmotion check`` and ``vmotion migrate``: scenario, VM, target, options."""

from contextlib import contextmanager

from ..errors import ConfigError, ScenarioError, UsageError, shown
from ..inventory import load_scenario
from ..inventory.model import ENCRYPTED_VMOTION_MODES
from ..plan import PRIORITIES
from ..migration import MigrationRequest

__all__ = ["add_request_arguments", "request_from_args", "load_env", "flag_errors", "REQUEST_FLAGS"]

# MigrationRequest / classify field -> the flag a learner typed, so an error names what to change
REQUEST_FLAGS = {"vm": "--vm", "target": "--to", "datastore": "--datastore",
                 "disk_datastores": "--disk", "network_map": "--network", "priority": "--priority",
                 "encrypted_vmotion": "--encrypted-vmotion", "seed": "--seed"}


def add_request_arguments(p):
    p.add_argument("scenario", metavar="SCENARIO", help="built-in scenario name or YAML file")
    p.add_argument("--vm", required=True, help="the VM to move")
    p.add_argument("--to", dest="target", metavar="HOST_OR_CLUSTER",
                   help="target host, cluster (DRS picks), resource pool or vApp; "
                        "omit for a storage-only move")
    p.add_argument("--datastore", metavar="DS", help="move all files to this datastore")
    p.add_argument("--disk", action="append", default=[], metavar="DISK=DS",
                   help="place one disk on a datastore (repeatable)")
    p.add_argument("--network", action="append", default=[], metavar="SRC=DST",
                   help="map a source network to a destination network (repeatable)")
    p.add_argument("--priority", choices=PRIORITIES, default="high")
    p.add_argument("--encrypted-vmotion", choices=ENCRYPTED_VMOTION_MODES,
                   help="override the VM's encrypted vMotion mode for this move")
    p.add_argument("--json", action="store_true", help="print one JSON object")


def _pairs(items, flag):
    out = {}
    for item in items:
        src, sep, dst = item.partition("=")
        if not sep or not src.strip() or not dst.strip():
            raise UsageError(f"{flag}: expected SRC=DST, got {shown(item)}")
        out[src.strip()] = dst.strip()
    return out


def load_env(source):
    """The scenario's Environment; a ScenarioError is re-raised as one usage line (exit 2)."""
    try:
        return load_scenario(source)
    except ScenarioError as exc:
        first = exc.problems[0] if exc.problems else "invalid"
        raise UsageError(f"{exc.source}: {first} ({len(exc.problems)} problem(s); "
                         f"run 'vmotion scenario validate' for all)") from None


def request_from_args(args):
    return MigrationRequest(vm=args.vm, target=args.target, datastore=args.datastore,
                            disk_datastores=_pairs(args.disk, "--disk"),
                            network_map=_pairs(args.network, "--network"),
                            priority=args.priority, encrypted_vmotion=args.encrypted_vmotion)


@contextmanager
def flag_errors(flags=REQUEST_FLAGS):
    """Re-raise a ConfigError about a known field under the flag's name (``vm`` -> ``--vm``)."""
    try:
        yield
    except ConfigError as exc:
        if exc.field not in flags:
            raise
        raise ConfigError(flags[exc.field], exc.reason) from None
