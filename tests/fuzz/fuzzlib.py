"""Mutation fuzzing of scenario files and CLI flag values (issue 17), shared by the hypothesis
tests in this folder (CI, a few seconds each) and ``run_offline.py`` (thousands of cases, by hand).

Every generator takes a ``random.Random``-like ``rnd`` (hypothesis passes ``st.randoms()``, so
its choices shrink); every ``run_*`` function returns an outcome word and raises AssertionError
for anything the project promises never to do: an exception other than its own errors, an exit
code other than 0/1/2, a traceback, a flood on stderr, or a physically absurd result.
"""

import copy
import datetime
import importlib.resources
import io
import json
import math
from contextlib import redirect_stderr, redirect_stdout

import yaml

from vmotion_core.cli import main
from vmotion_core.compat import check_migration
from vmotion_core.errors import ScenarioError, VMotionError
from vmotion_core.inventory import list_scenarios
from vmotion_core.inventory.products import CPU_GENERATIONS, EVC_MODES
from vmotion_core.inventory.scenario import load_scenario_text, scenario_from_dict
from vmotion_core.migration import MigrationRequest, migrate
from vmotion_core.units import GiB, TiB, parse_size

#: Largest VM memory the fuzzer lets simulate / migrate run with: the documented per-VM maximum
#: (the engine counts rounds too big for a page bitmap per region, so 24 TiB answers in seconds).
MEMORY_CAP = 24 * TiB
MAX_PROBLEM_CHARS = 1000  # a problem line names a field; it never echoes a flood

# --- the corpus: built-in scenarios as text and as data --------------------------------------

_PKG = "vmotion_core.inventory.scenarios"
TEXTS = {name: (importlib.resources.files(_PKG) / f"{name}.yaml").read_text(encoding="utf-8")
         for name, _ in list_scenarios()}
DATA = {name: yaml.safe_load(text) for name, text in TEXTS.items()}
NAMES = sorted({o["name"] for d in DATA.values() for sec in d.values() if isinstance(sec, list)
                for o in sec if isinstance(o, dict) and isinstance(o.get("name"), str)})

ODD_VALUES = [
    None, True, False, 0, -1, 1, 2, 31, 4096, 65536, 10**20, 10**5000, -10**400, 0.5, 1e308,
    -1e308, float("nan"), float("inf"), "", " ", "x" * 300, "x" * 20_000, "a/b", "10.0.0.300",
    "8.0 U2", "ALL", "é", "\x00", "\n", "٣", [], {}, [None], [[[]]], {"a": {"b": {}}},
    datetime.date(2023, 2, 28), datetime.datetime(2023, 1, 1, 1, 1), b"\xff", 24576, 24577,
    1024, 0.004, 0.003, *EVC_MODES[::4], "intel", "amd", "powered-on", "suspended",
]
YAML_SNIPPETS = [
    "2023-02-30", "2023-13-01", "!!int abc", '!!int ""', "!!bool maybe", "!!float x",
    "!!timestamp nope", "!!binary ***", "!!python/object:os.system x", "!foo bar", "=", "~",
    "9" * 5000, "[" * 300, "{a: " * 200, "&a [*a]", "*undefined", "&x", "<<: 5", "<<: [1]",
    "<<: {name: z}", "? [a]\n: 1", "'unterminated", '"\\uZZZZ"', "\t", "\x00", "\ufeff",
    "---\nb: 1", "%YAML 1.1\n---", "...", "|", ">", "- -", ": :", "{", "]", "#", "@", "`",
    "0x1F", "0o17", "1_000", ".inf", "-.nan", "yes", "off", "1e400", "1.0", "true",
]


def pick(rnd, seq):
    return seq[rnd.randrange(len(seq))]


# --- data-level mutations of a scenario mapping ----------------------------------------------

def _paths(node, path=()):
    items = node.items() if isinstance(node, dict) else \
        enumerate(node) if isinstance(node, list) else ()
    for k, v in items:
        yield path + (k,)
        yield from _paths(v, path + (k,))


def _at(data, path):
    for k in path:
        data = data[k]
    return data


def _odd_for(rnd, data, key):
    """A value for ``key``: from the odd pool, a real name, or a value from a sibling field of
    the same name elsewhere (a valid value in a wrong place exercises the cross-checks)."""
    choice = rnd.random()
    if choice < 0.45:
        return copy.deepcopy(pick(rnd, ODD_VALUES))
    if choice < 0.7:
        return pick(rnd, NAMES)
    same = [_at(data, p) for p in _paths(data) if p[-1] == key]
    return copy.deepcopy(pick(rnd, same)) if same else pick(rnd, ODD_VALUES)


def mutate_data(rnd, data, n=None):
    """Apply 1..4 random mutations to a copy of a scenario mapping and return it."""
    data = copy.deepcopy(data)
    for _ in range(n or pick(rnd, [1, 1, 1, 2, 3, 4])):
        paths = list(_paths(data))
        if not paths:
            break
        *parent, key = pick(rnd, paths)
        node = _at(data, parent)
        op = rnd.randrange(7)
        if op <= 2:                                   # set a field to an odd or borrowed value
            node[key] = _odd_for(rnd, data, key)
        elif op == 3 and isinstance(node, dict):      # drop a field
            del node[key]
        elif op == 3:                                 # drop a list item (dangling references)
            node.pop(key)
        elif op == 4 and isinstance(node, list):      # duplicate a list item (duplicate names)
            node.insert(key, copy.deepcopy(node[key]))
        elif op == 4:                                 # an unknown key, near or far from a real one
            node[pick(rnd, [f"{key}s", f"{key}_x", "bogus", str(key).upper()])] = 1
        elif op == 5:                                 # CPU / EVC: vendor and generation apart
            vendor = pick(rnd, ["intel", "amd"])
            node[key] = pick(rnd, [vendor, *CPU_GENERATIONS[vendor], *EVC_MODES])
        else:                                         # a valid scenario's section elsewhere
            other = DATA[pick(rnd, sorted(DATA))]
            section = pick(rnd, sorted(other))
            data[section] = copy.deepcopy(other[section])
    return data


# --- text-level and byte-level mutations ------------------------------------------------------

def mutate_text(rnd, text):
    """Insert YAML oddities at line starts or after a ``key:``; replace values; cut lines."""
    lines = text.splitlines()
    for _ in range(rnd.randint(1, 3)):
        i = rnd.randrange(len(lines))
        line = lines[i]
        op = rnd.randrange(4)
        snippet = pick(rnd, YAML_SNIPPETS)
        if op == 0 and ": " in line:                  # replace a value
            lines[i] = line.split(": ", 1)[0] + ": " + snippet
        elif op == 1:                                 # a new line with the same indentation
            indent = line[:len(line) - len(line.lstrip())]
            lines.insert(i, indent + pick(rnd, ["", "- ", "k: ", "<<: "]) + snippet)
        elif op == 2:                                 # anchors and aliases across the file
            j = rnd.randrange(len(lines))
            if ": " in line and ": " in lines[j]:
                lines[i] = line.replace(": ", ": &r ", 1)
                lines[j] = lines[j].split(": ", 1)[0] + ": *r"
        else:                                         # drop or duplicate a line
            lines[i:i + 1] = [] if rnd.random() < 0.5 else [line, line]
    return "\n".join(lines) + "\n"


def mutate_bytes(rnd, data):
    """Flip, delete, duplicate or insert bytes (may leave invalid UTF-8)."""
    data = bytearray(data)
    for _ in range(rnd.randint(1, 3)):
        if not data:
            break
        i = rnd.randrange(len(data))
        op = rnd.randrange(4)
        if op == 0:
            data[i] = rnd.randrange(256)
        elif op == 1:
            del data[i:i + rnd.randint(1, 64)]
        elif op == 2:
            data[i:i] = data[i:i + rnd.randint(1, 256)] * rnd.randint(1, 4)
        else:
            data[i:i] = pick(rnd, [b"\xff", b"\x00", b"\xe2\x80", b"\t", b"\r", b"{", b"[", b"&a",
                                   b"*a", b"!!", b"\xef\xbb\xbf", b"\xc3\xa9"])
    return bytes(data)


# --- running a case ---------------------------------------------------------------------------

def run_scenario_text(text, rnd=None):
    """Load scenario text; on success check and migrate one VM. Returns 'loaded' or 'problems'."""
    try:
        env = load_scenario_text(text, "fuzz.yaml")
    except ScenarioError as exc:
        assert exc.problems, "a ScenarioError without problems"
        for p in exc.problems:
            assert isinstance(p, str) and 0 < len(p) <= MAX_PROBLEM_CHARS, p[:200]
            assert "Traceback" not in p
        return "problems"
    if rnd is not None:
        exercise(env, rnd)
    return "loaded"


def run_scenario_data(data, rnd=None):
    """Dump mutated data to YAML (as a learner's file would be) and run it."""
    try:
        text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    except (yaml.YAMLError, ValueError, OverflowError):  # not representable as YAML: no file
        return "skipped"
    return run_scenario_text(text, rnd)


PYTHON_ODDITIES = [  # what the Python API can be handed that no YAML file holds
    (1, 2), {1, 2}, frozenset(), object(), b"bytes", bytearray(b"x"), complex(1, 1), range(3),
    float("-inf"), -0.0, 2**63, 2**64 + 1, ["x"] * 5000, "x" * 200_000, {"k": object()},
    [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]],
]


def mutate_python(rnd, data):
    """Mutate as ``mutate_data`` does, then put a few Python-only values in."""
    data = mutate_data(rnd, data)
    for _ in range(rnd.randint(1, 3)):
        *parent, key = pick(rnd, list(_paths(data)) or [("name",)])
        node = _at(data, parent)
        node[key] = copy.deepcopy(pick(rnd, PYTHON_ODDITIES))  # shared, a list could hold itself
    return data


def run_scenario_dict(data, rnd=None):
    """``scenario_from_dict`` straight from Python (the API path, no YAML in between)."""
    try:
        env = scenario_from_dict(data, "fuzz")
    except ScenarioError as exc:
        assert exc.problems and all(0 < len(p) <= MAX_PROBLEM_CHARS for p in exc.problems), \
            [p[:200] for p in exc.problems]
        return "problems"
    if rnd is not None:
        exercise(env, rnd)
    return "loaded"


def exercise(env, rnd):
    """check_migration and migrate of a random VM to a random host or cluster of a loaded env."""
    if not env.vms or not env.hosts:
        return
    vm = pick(rnd, env.vms)
    targets = [h.name for h in env.hosts] + [c.name for c in env.clusters] + [None]
    req_args = dict(vm=vm.name, target=pick(rnd, targets),
                    datastore=pick(rnd, [None, *[d.name for d in env.datastores]]))
    try:
        req = MigrationRequest(**req_args)
        check_migration(env, req)
        if vm.memory_gib * GiB > MEMORY_CAP:  # see MEMORY_CAP
            return
        result = migrate(env, req, seed=rnd.randrange(1000))
    except VMotionError:
        return
    check_migration_result(result, vm.name)


def check_migration_result(result, vm):
    assert _finite_nonneg(result.stun_ms) and _finite_nonneg(result.total_s), result
    assert result.stun_ms / 1000 <= result.total_s + 1e-6, (result.stun_ms, result.total_s)
    result.environment.vm(vm)  # the VM still exists, moved or not
    if result.precopy is not None:
        check_precopy(result.precopy.to_dict())


def _finite_nonneg(x):
    return isinstance(x, (int, float)) and math.isfinite(x) and x >= 0


def check_precopy(d):
    """Nothing physically absurd in a pre-copy result (a ``to_dict()`` / ``--json`` mapping)."""
    cfg = d["config"]
    page = cfg["page_size_kib"] * 1024
    pages = math.ceil(cfg["memory_gib"] * GiB / page - 1e-9)  # a partial last page is a page
    for key in ("total_time_s", "precopy_s", "downtime_ms", "switchover_s", "bytes_sent",
                "page_writes", "final_pages", "final_bytes", "effective_bps", "max_throttle"):
        assert _finite_nonneg(d[key]), (key, d[key])
    assert d["n_rounds"] == len(d["rounds"]) >= 1
    assert d["final_pages"] <= pages and d["max_throttle"] <= 1
    line_rate = cfg["link"]["bandwidth_gbps"] * 1e9 / 8
    assert d["effective_bps"] <= line_rate * (1 + 1e-9), "faster than the wire"
    assert d["total_time_s"] >= d["precopy_s"] - 1e-9
    for r in d["rounds"]:
        assert 0 <= r["pages_sent"] <= pages and 0 <= r["pages_dirtied"] <= pages, r
        assert _finite_nonneg(r["duration_s"]) and 0 <= r["throttle"] <= 1, r
    if d["outcome"] == "switched-over":
        assert d["bytes_sent"] >= pages * page, "switched over without sending all memory once"
        assert d["downtime_ms"] > 0
        # the last dirty pages cross the link while the VM is stunned: not faster than the wire
        assert d["downtime_ms"] / 1000 >= d["final_bytes"] / line_rate - 1e-9
    else:
        assert d["outcome"] == "failed" and d["downtime_ms"] == 0, d["outcome"]


# --- CLI flag values --------------------------------------------------------------------------

FLAG_VALUES = {  # flag -> plausible values (the fuzzer mutates them)
    "--memory": ["1MiB", "256MiB", "1GiB", "4GiB", "16 GiB", "64GiB", "1TiB", "2TiB", "24TiB",
                 "1e3MiB", "0.5GiB", "1073741824"],
    "--dirty-rate": ["0MiB/s", "50MiB/s", "300MiB/s", "1GiB/s", "2 GB/s", "10Gbit/s", "1TiB/s"],
    "--bandwidth": ["10Gbit/s", "1Gbps", "25 Gb/s", "100Mbit/s", "400Gbit/s", "1GB/s"],
    "--workload": ["uniform", "hotset", "sweep"],
    "--hot-fraction": ["10%", "0.5", "1%", "100%"], "--hot-share": ["90%", "0.2", "100%"],
    "--streams": ["1", "2", "4", "16"], "--policy": ["vmotion", "qemu", "xen"],
    "--goal": ["500ms", "1s", "100 ms", "0.05s"], "--downtime-limit": ["300ms", "30ms", "2s"],
    "--max-rounds": ["1", "5", "30"], "--page-size": ["4KiB", "2MiB", "4096"],
    "--efficiency": ["94%", "0.5", "100%"], "--rtt": ["0ms", "10ms", "150ms"],
    "--concurrent": ["1", "2", "8"], "--checkpoint": ["8MiB", "1MiB", "1GiB"],
    "--resume": ["20ms", "0ms", "1s"], "--seed": ["0", "7", "123456"],
}
SWITCHES = ["--no-sdps", "--auto-converge", "--encrypted", "--exact-writes"]
_JUNK = ["", " ", "\n", "\t", "-", "--", "=", "nan", "inf", "-1", "1e400", "١", "１", "\u00a0",
         "µ", "%", "/s", "GiB", "x" * 100, "9" * 40_000, "0" * 70, "\x00", "é", "1_0", ".", "e5"]


def mutate_value(rnd, value):
    """A flag value, often bent: junk inserted, characters dropped or repeated, digits grown."""
    op = rnd.randrange(11)
    if op <= 5:
        return value
    if op == 6:
        return pick(rnd, _JUNK)
    i = rnd.randrange(len(value) + 1)
    if op == 7:
        return value[:i] + pick(rnd, _JUNK) + value[i:]
    if op == 8:
        return value[:i] + value[i + 1:]
    if op == 9:
        return value[:i] + value[i:i + 1] * rnd.randint(2, 50) + value[i + 1:]
    return str(rnd.choice([-1, 1]) * 10 ** rnd.randint(0, 30)) + value.lstrip("0123456789.")


def simulate_argv(rnd):
    """``vmotion simulate`` arguments: a few flags with (mutated) values, memory capped."""
    argv = ["simulate", "--json"]
    for flag in rnd.sample(sorted(FLAG_VALUES), rnd.randint(1, 6)):
        value = mutate_value(rnd, pick(rnd, FLAG_VALUES[flag]))
        if flag == "--memory":
            value = _capped_memory(value)
        argv.append(f"{flag}={value}")
    argv += [s for s in SWITCHES if rnd.random() < 0.2]
    if not any(a.startswith("--memory=") for a in argv):
        argv.append("--memory=" + pick(rnd, ["256MiB", "1GiB", "4GiB"]))  # default 16GiB: slower
    return argv


def command_argv(rnd, name):
    """``check`` / ``migrate`` / ``evacuate`` on built-in scenario ``name``: real names of that
    scenario, each bent now and then, and a seed."""
    data = DATA[name]

    def some(*sections):
        names = [o["name"] for sec in sections for o in data.get(sec, ()) if isinstance(o, dict)]
        value = pick(rnd, names or ["none"])
        return mutate_value(rnd, value) if rnd.random() < 0.3 else value
    command = pick(rnd, ["check", "migrate", "evacuate"])
    if command == "evacuate":
        argv = [command, name, "--host", some("hosts")]
    else:
        argv = [command, name, "--vm", some("vms"), "--to", some("hosts", "clusters")]
    seed = mutate_value(rnd, "7") if rnd.random() < 0.3 else str(rnd.randrange(100))
    return argv + [f"--seed={seed}", "--json"]


def _capped_memory(value):
    try:
        too_big = MEMORY_CAP < parse_size(value) <= 24 * TiB  # see MEMORY_CAP
    except VMotionError:
        return value
    return "1TiB" if too_big else value


def run_cli(argv):
    """Run ``vmotion`` in-process; check exit code, stdout/stderr shape and the JSON result."""
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        try:
            code = main(argv)
        except SystemExit as exc:  # only --help / --version exit from argparse
            code = exc.code
            assert code == 0, (argv, err.getvalue()[:300])
    out, err = out.getvalue(), err.getvalue()
    assert code in (0, 1, 2), (argv, code)
    assert "Traceback" not in err, err[:300]
    if code == 2:
        assert out == "", "a usage error after output was written"
        if argv[:2] in (["scenario", "validate"], ["scenario", "show"]):  # one line a problem
            lines = err.splitlines()
            assert len(lines) <= ScenarioError.MAX_PROBLEMS + 2, len(lines)
            assert all(len(ln) <= MAX_PROBLEM_CHARS + 300 for ln in lines), err[:300]
        else:
            assert err.startswith("error: ") and err.count("\n") == 1, err[:300]
            assert len(err) <= 2000, err[:300]
        return "usage-error"
    if "--json" in argv and out:
        doc = json.loads(out, parse_constant=_no_constant)  # strict JSON: no NaN, no Infinity
        if argv[0] == "simulate":
            check_precopy(doc)
        check_quantities(doc)
    return "ok" if code == 0 else "failed"


_QUANTITY = ("_s", "_ms", "_bytes", "_gib", "_mib", "_gbps", "_bps", "bytes_sent", "_pages")


def check_quantities(doc, path=""):
    """Every time, size and rate in a JSON result is a finite number, not negative."""
    if isinstance(doc, dict):
        for k, v in doc.items():
            if isinstance(v, (int, float)) and not isinstance(v, bool) and k.endswith(_QUANTITY):
                assert math.isfinite(v) and v >= 0, (f"{path}.{k}", v)
            check_quantities(v, f"{path}.{k}")
    elif isinstance(doc, list):
        for i, v in enumerate(doc):
            check_quantities(v, f"{path}[{i}]")


def _no_constant(name):
    raise AssertionError(f"{name} in JSON output")
