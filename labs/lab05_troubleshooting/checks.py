"""lab05 public checks: the migration works again, with a minimal fix, management untouched.

The diagnosis (``root_cause``) is checked only at grading (``hidden.py``): a public check would
tell the learner, after at most ten tries, which catalogue fault their site has.
"""

from ..grading import oracle
from ..grading.checks import CheckSet, fail

__all__ = ["CHECKS", "changed_objects"]

CHECKS = CheckSet("lab05")
#: how many inventory objects a minimal fix of any catalogue fault touches, at most
MAX_CHANGED_OBJECTS = 2


def changed_objects(start, env, vm):
    """Inventory objects (hosts, VMs, datastores, clusters) that differ from the start; the VM
    counts only for changes other than its placement (moving it is the point)."""
    out = []
    for what in ("hosts", "datastores", "clusters", "licenses", "vcenters"):
        for obj in getattr(start, what):
            if getattr(env, what[:-1])(obj.name) != obj:
                out.append(f"{what[:-1]} {obj.name}")
    before, after = start.vm(vm), env.vm(vm)
    if before.devices != after.devices or before.cpu_affinity != after.cpu_affinity \
            or before.nics != after.nics or before.evc_mode != after.evc_mode:
        out.append(f"vm {vm}")
    return out


@CHECKS.check("q1", "The VM is running and vMotions to the other host without errors", points=4)
def migration_works(ctx):
    p = ctx.params
    v = ctx.env.vm(p["vm"])
    if v.power_state != "powered-on":
        fail(f"{p['vm']} is {v.power_state}; the ticket asks for a live move of a running VM")
    oracle.require_move(ctx, p["vm"])


@CHECKS.check("q2", "The fix is minimal", points=2, category="item")
def minimal(ctx):
    if ctx.env == ctx.start_env:
        fail("nothing has been changed yet")
    changed = changed_objects(ctx.start_env, ctx.env, ctx.params["vm"])
    if len(changed) > MAX_CHANGED_OBJECTS:
        fail(f"your fix changed {len(changed)} objects ({', '.join(changed[:4])}); this fault "
             f"needs at most {MAX_CHANGED_OBJECTS}")


@CHECKS.check("q3", "Management adapters and the VM's network are untouched", after=("q1",))
def nothing_else_broke(ctx):
    p = ctx.params
    oracle.require_management_unchanged(ctx)
    nics = ctx.env.vm(p["vm"]).nics
    if any(not n.connected for n in nics) or \
            [n.network for n in nics] != [n.network for n in ctx.start_env.vm(p["vm"]).nics]:
        fail(f"the network adapter of {p['vm']} was disconnected or moved to another network")
