"""Scenario files: load (built-in name or path), validate with every problem at once, dump.

A scenario is a YAML mapping whose sections are listed in ``SECTIONS`` (see
``book/reference/scenario-format.md``). Loading checks types, allowed values and ranges first,
then cross-object consistency; any problem raises one :class:`~vmotion_core.errors.ScenarioError`
whose ``problems`` list names each bad field by its path
(``hosts[1].vmknics[0].ip: '10.0.0.300' is not an IPv4 address``).

>>> env = load_scenario("healthy-cluster")
>>> load_scenario_text(dump_scenario(env)) == env
True
"""

import importlib.resources
import os

import yaml

from ..errors import ScenarioError, shown
from . import model as m
from ._semantics import check_environment
from ._validate import BAD, SECTIONS, join_path, unknown_key
from ._yaml import LIMITS, read_yaml, size_problem
from .environment import Environment, environment_to_dict

__all__ = ["load_scenario", "load_scenario_text", "scenario_from_dict", "dump_scenario",
           "list_scenarios", "validate_scenario", "environment_to_dict", "SECTIONS"]

_PACKAGE = "vmotion_core.inventory.scenarios"


def _builtin_dir():
    return importlib.resources.files(_PACKAGE)


def list_scenarios():
    """Return ``[(name, story), ...]`` for the built-in scenarios, sorted by name.

    >>> "healthy-cluster" in dict(list_scenarios())
    True
    """
    out = []
    for entry in sorted(_builtin_dir().iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".yaml"):
            data = read_yaml(entry.read_text(encoding="utf-8"), entry.name)
            out.append((entry.name[:-5], data.get("story", "")))
    return out


def load_scenario(name_or_path):
    """Load a built-in scenario by name, or a YAML file by path; return an :class:`Environment`.

    Raises ScenarioError (listing every problem with its field path) for a bad file, an unknown
    name or a missing file.

    >>> load_scenario("healthy-cluster").host("esx-02").cpu_vendor
    'intel'
    """
    if not isinstance(name_or_path, (str, os.PathLike)) or not str(name_or_path).strip():
        raise ScenarioError("scenario", [f"expected a built-in scenario name or a YAML file path, "
                                         f"got {shown(name_or_path)}"])
    text, source = _read(os.fsdecode(name_or_path))  # a path as text, also a bytes path
    return load_scenario_text(text, source)


def _read(name):
    if len(name) > 4096:  # PATH_MAX on Linux; echoing it whole would flood the terminal
        raise ScenarioError(shown(name), ["no built-in scenario and no file by that name (a path "
                                          "has at most 4096 characters)"])
    if os.sep not in name and "/" not in name and not name.endswith((".yaml", ".yml")) \
            and len(name) <= 200 and (_builtin_dir() / f"{name}.yaml").is_file():
        return (_builtin_dir() / f"{name}.yaml").read_text(encoding="utf-8"), name
    if os.path.isdir(name):
        raise ScenarioError(name, ["is a folder, not a scenario file; give a .yaml file or a "
                                   "built-in name (vmotion scenario list)"])
    if os.path.exists(name) and not os.path.isfile(name):
        raise ScenarioError(name, ["is not a regular file; give a .yaml file or a built-in name"])
    if os.path.isfile(name):
        try:
            with open(name, "rb") as fh:
                data = fh.read(LIMITS["bytes"] + 1)  # never more than the limit, whatever it is
            if size_problem(len(data)):
                raise ScenarioError(name, [size_problem(max(os.path.getsize(name), len(data)))])
            return data.decode("utf-8"), name
        except (OSError, UnicodeDecodeError) as exc:
            raise ScenarioError(name, [f"cannot read the file: {exc}"]) from None
    names = ", ".join(n for n, _ in list_scenarios())
    raise ScenarioError(name, [f"no built-in scenario and no file by that name; built-in: {names}"])


def load_scenario_text(text, source="<text>"):
    """Parse and validate scenario YAML ``text``; ``source`` names it in error messages.

    The text is read under limits (size, nesting, aliases; see ``_yaml.LIMITS``) and every
    value YAML cannot build is reported with its path, line and column.
    """
    return scenario_from_dict(read_yaml(text, source), source)


def validate_scenario(data):
    """Return ``(environment_or_None, problems)`` for a parsed scenario mapping (no exception)."""
    if not isinstance(data, dict):
        kind = "an empty file" if data is None else type(data).__name__
        return None, [f"scenario: the top level must be a mapping of sections "
                      f"({', '.join(SECTIONS)}), got {kind}"]
    problems = []
    for key in data:
        if key not in SECTIONS:
            msg = unknown_key(key, SECTIONS, suggest=len(problems) < ScenarioError.MAX_PROBLEMS)
            problems.append(f"{join_path('', key)}: {msg.replace('key', 'section', 1)}")
    version = data.get("schema_version")
    if version is None:
        problems.append(f"schema_version: required field missing (this version reads {m.SCHEMA_VERSION})")
    elif type(version) is not int or version != m.SCHEMA_VERSION:  # not True, not 1.0
        problems.append(f"schema_version: {shown(version)} is not supported; this version reads "
                        f"{m.SCHEMA_VERSION} (a whole number)")
        return None, problems
    if "name" not in data:
        problems.append("name: required field missing")
    kwargs = {}
    for key, (check, _) in SECTIONS.items():
        if key in data and key != "schema_version":
            got = check.convert(data[key], key, problems)
            if got is not BAD:
                kwargs[key] = got
    env = Environment(**{"name": "?", **kwargs})  # "?": a rejected name, already reported
    rejected = {key: {o["name"] for o in data[key] if isinstance(o, dict) and isinstance(o.get("name"), str)}
                for key in SECTIONS if isinstance(data.get(key), list)}
    try:
        problems += check_environment(env, rejected)
    except (AttributeError, TypeError, KeyError, ValueError):
        if not problems:
            raise
        # a cross-object check tripped over an object rejected above (kept as None to hold the
        # indices); the problems already listed are the cause, so report those
    return (None, problems) if problems else (env, [])


def scenario_from_dict(data, source="<dict>"):
    """Validate a parsed scenario mapping and return the Environment (ScenarioError otherwise)."""
    env, problems = validate_scenario(data)
    if problems:
        raise ScenarioError(source, problems)
    return env


# --- dump ------------------------------------------------------------------------------------

class _Dumper(yaml.SafeDumper):
    pass


def _list(dumper, data):
    flow = all(not isinstance(v, (dict, list)) for v in data) and len(data) <= 12
    return dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=flow)


_Dumper.add_representer(list, _list)


def dump_scenario(env):
    """Return YAML text for ``env`` that :func:`load_scenario_text` reads back to an equal
    Environment (``changes`` included).

    >>> text = dump_scenario(load_scenario("healthy-cluster"))
    >>> text.startswith("schema_version: 1")
    True
    """
    return yaml.dump(environment_to_dict(env), Dumper=_Dumper, sort_keys=False,
                     allow_unicode=True, width=100)
