"""The operation log: what a learner did through the lab API, and how the grader replays it.

A learner's hand-in is not a snapshot of the end state but the list of operations done through
the public lab API, in order (format: :mod:`vmotion_labs.grading.state`)::

    {"do": "set_vmknic", "args": ["esx-01", "vmk1"], "kwargs": {"mtu": 9000}}   # lab.env = ...
    {"do": "migrate", "vm": "web01", "target": "esx-02", "datastore": null,
     "apply": false, "seed": 0, "options": {}}                                  # lab.migrate
    {"do": "answer", "key": "rounds", "value": 7}                               # lab.answer
    {"do": "reset"}                                                             # lab.reset

The grader opens the learner's variant in its start state and performs the same operations
through the same API (:func:`replay`). No secret is involved: a file edited by hand is just
another sequence of operations, graded on what it does, or reported with the step that fails.
The position of an operation in the log is *when* it happened: checks that grade order (a
prediction made before the run it predicts) read :attr:`Context.ops`.

``lab.env`` is a :class:`LabEnv`: an Environment whose administrator operations (configure
hosts, networks, VMs and storage; power) record themselves. Everything else that changes an
environment (``relocate_vm``, ``dataclasses.replace``, the simulator's internals) gives an
environment that ``lab.env = ...`` refuses: VMs move only through ``lab.migrate``.
"""

import math
import numbers

from vmotion_core.errors import ConfigError, VMotionError
from vmotion_core.inventory import Environment

__all__ = ["ENV_OPERATIONS", "LAB_OPERATIONS", "MAX_OPS", "MAX_TEXT", "LabEnv", "ReplayError",
           "plain", "plain_env", "wrap", "check_op", "replay"]

#: What an administrator does to an environment in the vSphere Client (``lab.env.<name>(...)``).
ENV_OPERATIONS = (
    "add_vmknic", "remove_vmknic", "set_vmknic", "enable_service", "disable_service",
    "set_stack_gateway", "set_uplink", "set_switch", "add_port_group", "set_port_group",
    "remove_port_group", "join_distributed_switch", "set_host", "set_cluster", "set_cluster_evc",
    "set_vm", "power_on", "power_off", "suspend", "connect_device", "disconnect_device",
    "set_device", "add_device", "remove_device", "set_nic", "remove_nic", "add_nic", "set_disk",
    "mount_datastore", "unmount_datastore", "set_datastore", "set_vcenter", "set_advanced")
#: Operations of the lab itself.
LAB_OPERATIONS = ("migrate", "answer", "reset")
#: Parse limits of a hand-in (operations, characters per text value, nesting depth, list items).
MAX_OPS = 3000
MAX_TEXT = 1000
MAX_DEPTH = 12
MAX_ITEMS = 500

# Learner-facing wording (one place, for the German edition).
MSG = {
    "unrecorded": "this environment was not made through lab.env's operations or lab.migrate "
                  "(it came from {how}); VMs move only when vCenter migrates them: start again "
                  "from lab.env and use its methods, or lab.migrate(vm, target=...)",
    "foreign": "this environment belongs to another lab or learner ({other}); use lab.env of "
               "this lab",
    "relocate": "a lab environment cannot place a VM directly (vCenter has no such operation); "
                "ask vCenter to move it: lab.migrate(vm, target=..., datastore=...)",
    "text": "text of at most {n} characters, got {got}",
    "depth": "nested at most {n} levels deep",
    "items": "at most {n} items, got {got}",
    "number": "a finite number, got {got}",
    "key": "mapping keys must be text, got {got}",
    "type": "plain data (text, numbers, true/false, lists, mappings), got {got}",
}


def plain(value, where, depth=0):
    """A JSON-safe copy of ``value`` (tuples become lists, NumPy scalars plain numbers).

    Raises ``ConfigError(where, ...)`` for anything a hand-in cannot hold or a grader should not
    have to parse (huge text, deep nesting, NaN).

    >>> plain(("vmotion",), "services")
    ['vmotion']
    """
    if depth > MAX_DEPTH:
        raise ConfigError(where, MSG["depth"].format(n=MAX_DEPTH))
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, str):
        if len(value) > MAX_TEXT:
            raise ConfigError(where, MSG["text"].format(n=MAX_TEXT, got=len(value)))
        return value
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real):
        if not math.isfinite(value):
            raise ConfigError(where, MSG["number"].format(got=value))
        return float(value)
    if not isinstance(value, (list, tuple, dict)):
        raise ConfigError(where, MSG["type"].format(got=type(value).__name__))
    if len(value) > MAX_ITEMS:
        raise ConfigError(where, MSG["items"].format(n=MAX_ITEMS, got=len(value)))
    if isinstance(value, dict):
        out = {}
        for k, v in value.items():
            if not isinstance(k, str):
                raise ConfigError(where, MSG["key"].format(got=type(k).__name__))
            out[plain(k, where, depth + 1)] = plain(v, where, depth + 1)
        return out
    return [plain(v, where, depth + 1) for v in value]


def plain_env(env):
    """The plain :class:`Environment` behind a :class:`LabEnv` (or ``env`` itself)."""
    if type(env) is Environment:
        return env
    out = object.__new__(Environment)
    out.__dict__.update({k: v for k, v in env.__dict__.items() if not k.startswith("_lab")})
    return out


def wrap(env, owner, lineage):
    """``env`` as the learner sees it: a :class:`LabEnv` that knows the operations that made it
    (``lineage``, from the start state) and whose lab it is (``owner``)."""
    out = object.__new__(LabEnv)
    out.__dict__.update(plain_env(env).__dict__)
    out.__dict__["_lab_owner"] = owner
    out.__dict__["_lab_lineage"] = tuple(lineage)
    return out


def lineage_of(env, owner):
    """The operations that made ``env`` from the start state; ``ConfigError('env', ...)`` when
    ``env`` was not made through recorded operations or belongs to another lab."""
    if not isinstance(env, Environment):
        raise ConfigError("env", f"expected an Environment (the result of a mutation such as "
                                 f"lab.env.add_vmknic(...)), got {type(env).__name__}")
    lineage = env.__dict__.get("_lab_lineage") if isinstance(env, LabEnv) else None
    if lineage is None:
        how = "a function outside the lab" if type(env) is Environment else "relocate_vm, " \
              "dataclasses.replace or another internal"
        raise ConfigError("env", MSG["unrecorded"].format(how=how))
    if env.__dict__["_lab_owner"] != owner:
        lab, learner = env.__dict__["_lab_owner"][:2]
        raise ConfigError("env", MSG["foreign"].format(other=f"{lab} of {learner}"))
    return lineage


def _operation(name):
    base = getattr(Environment, name)

    def operation(self, *args, **kwargs):
        lineage = self.__dict__.get("_lab_lineage")
        if lineage is None:
            raise ConfigError("env", MSG["unrecorded"].format(how="relocate_vm, "
                                                              "dataclasses.replace or an internal"))
        op = {"do": name, "args": plain(list(args), f"{name}()"),
              "kwargs": plain(kwargs, f"{name}()")}
        # run on the JSON form of the arguments: what replays at grading is exactly what ran here
        new = base(plain_env(self), *op["args"], **op["kwargs"])
        return wrap(new, self.__dict__["_lab_owner"], lineage + (op,))

    operation.__name__ = operation.__qualname__ = name
    operation.__doc__ = base.__doc__
    return operation


class LabEnv(Environment):
    """The learner's environment (``lab.env``): read it like any Environment; change it with its
    administrator operations (:data:`ENV_OPERATIONS`) and assign the result back to ``lab.env``.
    """

    def relocate_vm(self, *args, **kwargs):
        raise ConfigError("relocate_vm", MSG["relocate"])

    def __reduce__(self):  # copy/pickle give the plain environment, never a recorded one
        return plain_env(self).__reduce__()


for _name in ENV_OPERATIONS:
    setattr(LabEnv, _name, _operation(_name))


class ReplayError(VMotionError):
    """An operation of a hand-in that cannot be performed; ``step`` counts from 1."""

    def __init__(self, step, do, message):
        self.step, self.do, self.reason = step, do, message
        super().__init__(f"step {step} ({do}): {message}")


def _shape(op, step):
    """Check one operation's shape (not yet whether it can be done); return its name."""
    if not isinstance(op, dict) or not isinstance(op.get("do"), str):
        raise ReplayError(step, "?", "not an operation (expected an object with 'do')")
    do = op["do"]
    if do not in ENV_OPERATIONS and do not in LAB_OPERATIONS:
        raise ReplayError(step, do[:40], "not an operation the lab offers (an administrator "
                                         "configures, powers and migrates; nothing else)")
    allowed = {"answer": {"do", "key", "value"}, "reset": {"do"},
               "migrate": {"do", "vm", "target", "datastore", "apply", "seed", "options"}}
    keys = allowed.get(do, {"do", "args", "kwargs"})
    if set(op) - keys:
        raise ReplayError(step, do, f"unexpected field(s) {sorted(set(op) - keys)[:3]}")
    if do in ENV_OPERATIONS and not (isinstance(op.get("args", []), list)
                                     and isinstance(op.get("kwargs", {}), dict)):
        raise ReplayError(step, do, "'args' must be a list and 'kwargs' a mapping")
    if do == "migrate" and not isinstance(op.get("options", {}), dict):
        raise ReplayError(step, do, "'options' must be a mapping")
    return do


def check_op(op, step):
    """Validate the shape and size of one operation of a hand-in (``ReplayError`` if not)."""
    do = _shape(op, step)
    try:
        plain(op, "operation")
    except ConfigError as exc:
        raise ReplayError(step, do, str(exc)) from None
    return do


def perform(lab, op):
    """Do one (checked) operation on ``lab`` through its public API."""
    do = op["do"]
    if do == "answer":
        lab.answer(op.get("key"), op.get("value"))
    elif do == "reset":
        lab.reset()
    elif do == "migrate":
        lab.migrate(op.get("vm"), target=op.get("target"), datastore=op.get("datastore"),
                    apply=op.get("apply", True), seed=op.get("seed", 0),
                    **op.get("options", {}))
    else:
        kwargs = op.get("kwargs", {})
        bad = [k for k in kwargs if not k.isidentifier()]
        if bad:
            raise ConfigError(do, f"{bad[0][:40]!r} is not a setting name")
        lab.env = getattr(lab.env, do)(*op.get("args", []), **kwargs)


def replay(lab, ops):
    """Perform ``ops`` on ``lab`` (a freshly opened lab) in order; return ``lab``.

    Raises ``ReplayError`` naming the first step that cannot be done and why, in the words the
    learner would have seen had they done it in the notebook.
    """
    if not isinstance(ops, list):
        raise ReplayError(0, "operations", "expected a list of operations")
    if len(ops) > MAX_OPS:
        raise ReplayError(0, "operations", f"{len(ops)} operations; a hand-in holds at most "
                                           f"{MAX_OPS}")
    for step, op in enumerate(ops, start=1):
        do = check_op(op, step)
        try:
            perform(lab, op)
        except VMotionError as exc:
            raise ReplayError(step, do, str(exc)) from None
        except TypeError as exc:  # wrong arguments to a method
            raise ReplayError(step, do, f"wrong arguments ({exc})"[:300]) from None
        except (ValueError, AttributeError, KeyError, IndexError) as exc:
            # odd values that the notebook would have refused just as loudly
            raise ReplayError(step, do, f"the simulator cannot do this with these values "
                                        f"({type(exc).__name__})") from None
    return lab
