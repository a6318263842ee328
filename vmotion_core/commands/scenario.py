"""``vmotion scenario list | show NAME_OR_FILE [--yaml|--json] | validate FILE``.

Exit codes: 0 fine, 2 bad input (unknown scenario, unreadable or invalid file). An invalid file
prints every problem on its own line, ``SOURCE: path: message``, never a traceback.
"""

import json
import sys

from ..errors import ScenarioError
from ..inventory import dump_scenario, list_scenarios, load_scenario
from ..units import format_nic_speed


def register(subparsers):
    p = subparsers.add_parser(
        "scenario", help="list, show or validate simulated vSphere scenarios",
        description="Work with scenario files: the simulated vSphere sites the checks and "
                    "migrations run on. NAME is a built-in scenario, FILE a YAML file.")
    sub = p.add_subparsers(dest="action", metavar="ACTION", parser_class=type(p))
    sub.required = True
    ls = sub.add_parser("list", help="built-in scenarios with their one-line story")
    ls.set_defaults(func=run_list)
    show = sub.add_parser("show", help="readable summary of a scenario (or its YAML/JSON)")
    show.add_argument("scenario", metavar="NAME_OR_FILE")
    fmt = show.add_mutually_exclusive_group()
    fmt.add_argument("--yaml", action="store_true", help="print the scenario as YAML (round-trips)")
    fmt.add_argument("--json", action="store_true", help="print the scenario as one JSON object")
    show.set_defaults(func=run_show)
    val = sub.add_parser("validate", help="check a scenario file and list every problem")
    val.add_argument("scenario", metavar="FILE")
    val.set_defaults(func=run_validate)


def _load(source):
    """The Environment, or None after printing every problem to stderr."""
    try:
        return load_scenario(source)
    except ScenarioError as exc:
        for problem in exc.problems:
            print(f"{exc.source}: {problem}", file=sys.stderr)
        print(f"{exc.source}: {len(exc.problems)} problem(s)", file=sys.stderr)
        return None


def run_list(args):
    items = list_scenarios()
    width = max(len(n) for n, _ in items)
    for name, story in items:
        print(f"{name:<{width}}  {story}")
    return 0


def run_validate(args):
    env = _load(args.scenario)
    if env is None:
        return 2
    print(f"{args.scenario}: valid scenario {env.name!r} ({len(env.hosts)} hosts, {len(env.vms)} VMs)")
    return 0


def run_show(args):
    env = _load(args.scenario)
    if env is None:
        return 2
    if args.yaml:
        sys.stdout.write(dump_scenario(env))
    elif args.json:
        print(json.dumps(env.to_dict(), indent=2))
    else:
        print("\n".join(summary_lines(env)))
    return 0


def summary_lines(env):
    """Readable multi-line summary of an Environment (what ``scenario show`` prints)."""
    out = [f"{env.name}: {env.story}", ""]
    for vc in env.vcenters:
        elm = ", Enhanced Linked Mode" if vc.enhanced_linked_mode else ""
        out.append(f"vCenter {vc.name}  {vc.version}  SSO {vc.sso_domain}{elm}")
    for dc in env.datacenters:
        out.append(f"  datacenter {dc.name}  (vCenter {dc.vcenter}, site {dc.site})")
    for lk in env.site_links:
        out.append(f"site link {lk.a} <-> {lk.b}: RTT {lk.rtt_ms:g} ms, {lk.bandwidth_gbps:g} Gbit/s")
    for cl in env.clusters:
        drs = f"DRS {cl.drs_automation}" if cl.drs_enabled else "DRS off"
        hosts = ", ".join(h.name for h in env.hosts_in(cl.name)) or "no hosts"
        ha = "on" if cl.ha_enabled else "off"
        out.append(f"cluster {cl.name}  {drs}  EVC {cl.evc_mode or 'off'}  HA {ha}"
                   f"  hosts: {hosts}")
    out.append("")
    for h in env.hosts:
        lic = env.license(h.license)
        state = h.connection_state + (", maintenance mode" if h.maintenance_mode else "")
        out.append(f"host {h.name}  ESXi {h.version}  {h.cpu_generation}  {h.memory_gib:g} GiB  "
                   f"license {lic.name} ({lic.edition})  {state}")
        ups = ", ".join(f"{u.name} {format_nic_speed(u.speed_mbps)} {u.duplex} "
                        f"{'up' if u.link_up else 'DOWN'}" for u in h.uplinks)
        out.append(f"  uplinks: {ups or 'none'}")
        for sw in env.host_switches(h.name):
            pgs = ", ".join(f"{pg.name} (vlan {pg.vlan})" for pg in sw.port_groups)
            kind = "vDS" if hasattr(sw, "members") else "vSS"
            upl = ", ".join(u.name for u in env.active_uplinks(h.name, sw)) or "no uplinks"
            out.append(f"  {kind} {sw.name} mtu {sw.mtu} [{upl}]: {pgs}")
        for v in h.vmknics:
            found = env.port_group(h.name, v.port_group)
            vlan = found[1].vlan if found else "?"
            gw = f"  gw {v.gateway}" if v.gateway else ""
            down = "" if v.enabled else "  DISABLED"
            out.append(f"  {v.name}  {v.ip}/{v.prefix}  {v.port_group} (vlan {vlan})  mtu {v.mtu}  "
                       f"{v.tcpip_stack} stack  [{', '.join(v.services) or 'no services'}]{gw}{down}")
        for st in h.tcpip_stacks:
            out.append(f"  {st.name} stack gateway {st.gateway or 'none'}")
    out.append("")
    for ds in env.datastores:
        ro = f"  read-only on {', '.join(ds.read_only_hosts)}" if ds.read_only_hosts else ""
        out.append(f"datastore {ds.name}  {ds.type}  {ds.free_gib:g}/{ds.capacity_gib:g} GiB free  "
                   f"hosts: {', '.join(ds.hosts) or 'none'}{ro}")
    out.append("")
    for v in env.vms:
        nets = ", ".join(n.network + ("" if n.connected else " (disconnected)") for n in v.nics)
        out.append(f"vm {v.name}  {v.power_state}  on {v.host}  {v.memory_gib:g} GiB  {v.vcpus} vCPU  "
                   f"config on {v.config_datastore}  networks: {nets or 'none'}  workload "
                   f"{v.workload.kind} {v.workload.dirty_rate_mibps:g} MiB/s")
        for d in v.devices:
            conn = "connected" if d.connected else "disconnected"
            out.append(f"  device {d.name}: {d.kind} {d.backing_kind} {d.backing} ({conn})".replace("  (", " ("))
    if env.changes:
        out += ["", "changes:"] + [f"  {c}" for c in env.changes]
    return out
