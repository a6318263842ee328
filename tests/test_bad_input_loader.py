"""Issue 17 regressions: every class of scenario text that used to escape as a Python exception,
run away in time or memory, or echo a flood, now gives ScenarioError problems naming the field
(with line and column where the text has them) and the CLI exits 2 without a traceback."""

import copy
import os

import pytest
import yaml

from vmotion_core.cli import main
from vmotion_core.errors import ConfigError, ScenarioError, shown
from vmotion_core.inventory import dump_scenario, load_scenario
from vmotion_core.inventory._yaml import LIMITS
from vmotion_core.inventory.scenario import load_scenario_text, scenario_from_dict
from vmotion_core.units import MAX_CHARS, parse_duration, parse_rate, parse_size, parse_whole

BASE = "schema_version: 1\nname: x\n"


def _problems(text):
    with pytest.raises(ScenarioError) as info:
        load_scenario_text(text, "t.yaml")
    return info.value.problems


def _one(text, *fragments):
    problems = _problems(text)
    assert len(problems) == 1, problems
    for f in fragments:
        assert f in problems[0], (f, problems[0])
    return problems[0]


# --- values PyYAML cannot construct: in mappings, in lists, as keys ---------------------------

@pytest.mark.parametrize("text, fragments", [
    ("description: 2023-02-30\n",
     ["description: 2023-02-30 is not a date — quote text that looks like a date",
      "line 3, column 14"]),
    ("changes: [ok, 2023-02-30]\n", ["changes[1]: 2023-02-30 is not a date", "line 3"]),
    ("changes:\n- 2023-13-01\n", ["changes[0]: 2023-13-01 is not a date", "line 4, column 3"]),
    ("story: " + "9" * 5000 + "\n", ["story: a number of 5,000 characters is too long"]),
    ("changes: [" + "9" * 4400 + "]\n", ["changes[0]: a number of 4,400 characters"]),
    ("story: !!int abc\n", ["story: abc is not a whole number", "line 3, column 8"]),
    ('story: !!int ""\n', ['story: "" is not a whole number']),
    ("changes: [!!int abc]\n", ["changes[0]: abc is not a whole number"]),
    ("story: !!bool maybe\n", ["story: maybe is not true or false"]),
    ("changes: [!!bool maybe]\n", ["changes[0]: maybe is not true or false"]),
    ("story: !!float x1\n", ["story: x1 is not a number"]),
    ("story: !!timestamp someday\n", ["story: someday is not a date"]),
    ("2023-02-30: x\n", ["key 2023-02-30 is not a date", "line 3, column 1"]),
    ("sites: [{name: a, !!int b: 1}]\n", ["sites[0]: key b is not a whole number"]),
    ("story: !foo bar\n", ["story: unknown tag '!foo'"]),
    ("story: !!python/object:os.system x\n", ["unknown tag '!!python/object:os.system'"]),
    ("story: !!int [1]\n", ["story: tag '!!int' does not fit a list"]),
    ("story: !!str {a: 1}\n", ["story: tag '!!str' does not fit a mapping"]),
    ("story: =\n", ["story: a lone '=' must be quoted"]),
    ("story: a\x00b\n", ["unacceptable character #x0000", "(line 3, column 9)"]),
    ("---\nb: 1\n", ["a scenario is one YAML document", "(line 3, column 1)"]),
    ("sites: [{? [a]: 1}]\n", ["sites[0]: a key must be plain text or a number, not a list"]),
])
def test_unconstructible_values_name_the_field_and_place(text, fragments):
    _one(BASE + text, *fragments)


@pytest.mark.parametrize("text, fragment", [
    ("description: 2023-02-30\n", "is not a date"), ("story: " + "[" * 400 + "\n", "nest more"),
    ("story: &a [*a]\n", "contains it"), ("story: !!bool maybe\n", "true or false"),
    ("story: a\x00b\n", "character #x0000: "),
    ("---\nb: 1\n", "a scenario is one YAML document; found a second '---' (line 3, column 1)"),
    ("story: *nope\n", "an alias (*name) comes before or without its anchor (&name) (line 3"),
])
def test_the_pure_python_parser_gives_the_same_problems(monkeypatch, text, fragment):
    """Without libyaml (a PyYAML built without it) the same limits and messages hold."""
    from vmotion_core.inventory import _yaml
    monkeypatch.setattr(_yaml, "_Loader", yaml.SafeLoader)
    _one(BASE + text, fragment)


def test_all_such_problems_are_listed_at_once():
    problems = _problems(BASE + "description: 2023-02-30\nstory: !!bool maybe\n"
                                "changes: [!!int x, 2023-02-31]\n")
    assert len(problems) == 4, problems


# --- limits: depth, aliases, expansion, size, entries, text ---------------------------------

@pytest.mark.parametrize("opening, closing", [("[", "]"), ("{a: ", "}"), ("- ", "")])
def test_deep_nesting_is_a_problem_not_a_recursion_error(opening, closing):
    depth = 400
    if opening == "- ":
        body = "".join("  " * i + "-\n" for i in range(depth))
        text = BASE + "changes:\n" + body
    else:
        text = BASE + "story: " + opening * depth + "1" + closing * depth + "\n"
    _one(text, f"nest more than {LIMITS['depth']} deep", "line ")


def _bomb(levels=9, width=10):
    lines = ["story: &a0 [a,a,a,a,a,a,a,a,a,a]"]
    lines += [f"k{i}: &a{i} [{','.join([f'*a{i - 1}'] * width)}]" for i in range(1, levels)]
    return BASE.replace("name: x", "name: x\n" + "\n".join(lines))


def test_alias_bomb_under_500_bytes_is_refused_without_expanding():
    text = _bomb()
    assert len(text) < 500
    _one(text, f"more than {LIMITS['nodes']:,} values (counting each use of an alias")


def test_alias_to_its_own_container_and_too_many_aliases():
    _one(BASE + "story: &a [*a]\n", "an alias refers to the list or mapping that contains it")
    many = BASE + "changes: [&s x" + ", *s" * (LIMITS["aliases"] + 1) + "]\n"
    _one(many, f"changes[{LIMITS['aliases'] + 1}]: more than {LIMITS['aliases']:,} aliases")


def test_aliases_within_limits_load():
    text = dump_scenario(load_scenario("healthy-cluster"))
    data = yaml.safe_load(text)
    assert load_scenario_text(text) == scenario_from_dict(data)


def test_entries_and_text_length_limits():
    n = LIMITS["items"]
    _one(BASE + "changes: [" + "a," * n + "a]\n", f"changes: more than {n:,} entries")
    _one(BASE + "".join(f"k{i}: 1\n" for i in range(n)), f"more than {n:,} entries")
    long = "x" * (LIMITS["chars"] + 1)
    _one(BASE.replace("name: x", f"name: {long}"),
         f"name: text of {LIMITS['chars'] + 1:,} characters; at most {LIMITS['chars']:,}")


def test_huge_text_and_files_are_refused_by_size(tmp_path):
    big = BASE + "a" * (LIMITS["bytes"] + 1)
    _one(big, "bytes; at most 1,048,576 allowed")
    path = tmp_path / "big.yaml"
    with open(path, "wb") as fh:
        fh.truncate(50 * 1024 * 1024)  # 50 MB (sparse): only the first MiB + 1 byte is read
    with pytest.raises(ScenarioError) as info:
        load_scenario(str(path))
    assert info.value.problems == ["the scenario is 52,428,800 bytes; at most 1,048,576 allowed"]


def test_fifty_megabytes_of_unknown_keys_stop_at_the_first_limit():
    text = BASE + "".join(f"unknown_{i}: 1\n" for i in range(20_000))
    assert "more than 10,000 entries" in _one(text)


def test_many_problems_are_capped():
    text = BASE + "".join(f"unknown_{i}: 1\n" for i in range(500))
    problems = _problems(text)
    assert len(problems) == ScenarioError.MAX_PROBLEMS + 1
    assert problems[-1] == "... and 400 more problems"


# --- values shown in messages are shortened -------------------------------------------------

def test_a_long_name_is_not_echoed_whole():
    text = BASE.replace("name: x", "name: " + "n" * 9000)
    msg = _one(text, "name: 'nnnn", "(9,000 characters) is not a valid name")
    assert len(msg) < 300


@pytest.mark.parametrize("value, fragment", [
    (10 ** 5000, "a whole number of 5,001 digits"),
    ("s" * 100_000, "(100,000 characters)"),
    ([[[[[[1]]]]]], "[[[...]]]"),
], ids=["huge-int", "long-text", "nested"])
def test_odd_values_from_python_are_shown_short(value, fragment):
    data = yaml.safe_load(dump_scenario(load_scenario("healthy-cluster")))
    data["vms"][0]["memory_gib"] = value
    data["vms"][0]["name"] = value
    data["hosts"][0]["version"] = value
    with pytest.raises(ScenarioError) as info:
        scenario_from_dict(data)
    assert all(len(p) < 400 for p in info.value.problems), info.value.problems
    assert fragment in str(info.value)


def test_shown_survives_anything():
    loop = []
    loop.append(loop)
    for value in (loop, [10 ** 5000], {"k": "v" * 10**6}, object(), b"\xff" * 10**5):
        assert len(shown(value)) <= 130


# --- schema_version, merge keys, duplicate keys ---------------------------------------------

@pytest.mark.parametrize("version", ["true", "1.0", "'1'", "01.0", "[1]"])
def test_schema_version_must_be_the_integer_1(version):
    _one(f"schema_version: {version}\nname: x\n", "schema_version:", "this version reads 1")


def test_schema_version_1_and_0x1_style_integers():
    assert load_scenario_text("schema_version: 1\nname: x\n").name == "x"


def test_merge_keys_are_supported():
    text = ("schema_version: 1\nname: x\nsites:\n- &s {name: a, location: here}\n"
            "- <<: *s\n  name: b\n")
    env = load_scenario_text(text)
    assert [(s.name, s.location) for s in env.sites] == [("a", "here"), ("b", "here")]


@pytest.mark.parametrize("value", ["5", "[1, 2]", "[{a: 1}, x]"])
def test_a_bad_merge_value_gets_a_plain_message(value):
    _one(BASE + f"sites:\n- <<: {value}\n  name: b\n",
         "sites[0]: '<<' (merge key) takes a mapping or a list of mappings, e.g. '<<: *defaults'")


def test_duplicate_keys_name_the_mapping():
    _one(BASE + "sites:\n- name: a\n  name: b\n",
         "sites[0]: duplicate key 'name' (line 5, column 3)")


# --- cross-checks run in an order where each may rely on the earlier ones ---------------------

def test_intel_host_with_an_amd_generation_in_an_evc_cluster():
    data = yaml.safe_load(dump_scenario(load_scenario("mixed-cpu-evc")))
    data["clusters"][0]["evc_mode"] = "intel-skylake"  # cl-mixed: esx-21 and esx-22, Intel
    i, host = next((i, h) for i, h in enumerate(data["hosts"]) if h.get("cluster") == "cl-mixed")
    host["cpu_generation"] = "amd-zen2"
    with pytest.raises(ScenarioError) as info:
        scenario_from_dict(copy.deepcopy(data))
    assert any(p.startswith(f"hosts[{i}].cpu_generation: 'amd-zen2' is not a intel generation")
               for p in info.value.problems), info.value.problems


# --- the CLI: exit 2, every line names the file, no traceback ---------------------------------

@pytest.mark.parametrize("text", [
    BASE + "description: 2023-02-30\n", BASE + "story: " + "[" * 500, _bomb(),
    BASE + "story: !!bool maybe\n", "schema_version: true\nname: x\n",
    BASE + "sites:\n- <<: 5\n", BASE + "story: " + "9" * 5000 + "\n",
])
def test_cli_scenario_validate_exits_2(tmp_path, capsys, text):
    path = tmp_path / "s.yaml"
    path.write_text(text)
    for argv in (["scenario", "validate", str(path)],
                 ["check", str(path), "--vm", "web01", "--to", "esx-02"]):
        assert main(argv) == 2
        out, err = capsys.readouterr()
        assert out == "" and "Traceback" not in err and len(err) < 2000
        assert all(line.startswith((f"{path}: ", f"error: {path}: ")) for line in err.splitlines())


# --- strict, linear unit parsing (CLI and API) ------------------------------------------------

@pytest.mark.parametrize("text, fragment", [
    ("1" * 40_000, "too long: 40,000 characters, at most 64"),
    ("1" * 40_000 + "GiB", "too long"),
    ("١٦GiB", "is not a size"),       # Arabic-Indic digits: float() would take them
    ("１６GiB", "is not a size"),      # full-width digits
    ("16\nGiB", "is not a size"),
    ("16GiB\n", "is not a size"),
    ("16  GiB", "is not a size"),
    ("16\tGiB", "is not a size"),
    ("1_6GiB", "is not a size"),
    ("16 G iB", "is not a size"),
    ("-16GiB", "must not be negative"),
    (b"16GiB", "must be text such as 16GiB or a number"),
    (None, "must be text"),
])
def test_unit_parser_is_strict(text, fragment):
    with pytest.raises(ConfigError) as info:
        parse_size(text, "--memory")
    assert info.value.field == "--memory" and fragment in info.value.reason
    assert len(str(info.value)) < 200


@pytest.mark.parametrize("parse, text, expected", [
    (parse_size, "16 GiB", 16 * 2**30), (parse_size, " 16GiB ", 16 * 2**30),
    (parse_size, ".5KiB", 512), (parse_size, "1e3", 1000), (parse_size, "2.MiB", 2 * 2**20),
    (parse_rate, "1.5E1 Gbit/s", 15e9 / 8), (parse_duration, "500 ms", 0.5),
])
def test_unit_parser_still_reads_the_usual_forms(parse, text, expected):
    assert parse(text) == pytest.approx(expected)


def test_parse_whole_is_strict():
    assert parse_whole("8") == 8 and parse_whole("-1") == -1
    for bad in ("1.0", "1_000", " 8", "٨", "8\n", "", "+8", "9" * (MAX_CHARS + 1)):
        with pytest.raises(ConfigError):
            parse_whole(bad, "--seed")


@pytest.mark.parametrize("argv, fragment", [
    (["--memory", "1" * 40_000], "--memory: too long: 40,000 characters"),
    (["--seed", "1" * 40_000], "--seed: too long: 40,000 characters"),
    (["--streams", "٢"], "--streams: '٢' is not an integer"),
    (["--concurrent", "1_0"], "--concurrent: '1_0' is not an integer"),
    (["--max-rounds", " 3"], "--max-rounds: ' 3' is not an integer"),
    (["--workload", "w" * 100_000], "(100,000 characters) (choose from 'uniform'"),
    (["--goal", "5\n00ms"], "--goal: '5\\n00ms' is not a duration"),
])
def test_cli_flags_strict_and_short(capsys, argv, fragment):
    assert main(["simulate", *argv]) == 2
    out, err = capsys.readouterr()
    assert out == "" and err.startswith("error: ") and err.count("\n") == 1
    assert fragment in err and len(err) < 400, err


def test_cli_long_names_are_shortened(capsys):
    name = "v" * 100_000
    assert main(["migrate", "healthy-cluster", "--vm", name, "--to", "esx-02"]) == 2
    err = capsys.readouterr().err
    assert "--vm" in err and "(100,000 characters)" in err and len(err) < 1200


def test_scenario_path_too_long(capsys):
    assert main(["scenario", "validate", "p" * 5000]) == 2
    err = capsys.readouterr().err
    assert "no built-in scenario and no file" in err and len(err) < 400
    assert os.path.exists("p" * 10) is False


def test_the_reference_page_states_the_limits():
    from pathlib import Path
    page = (Path(__file__).parents[1] / "book" / "reference" / "scenario-format.md").read_text()
    section = page.split("### Limits", 1)[1].split("\n## ", 1)[0]
    for value in (f"**{LIMITS['bytes'] // 2**20} MiB**", f"**{LIMITS['depth']}**",
                  f"**{LIMITS['aliases']:,}**", f"**{LIMITS['nodes']:,}**",
                  f"**{LIMITS['items']:,}**",
                  f"**{LIMITS['chars']:,}**", f"after {ScenarioError.MAX_PROBLEMS} problems"):
        assert value in section, value


def test_a_host_written_as_a_merge_of_another():
    """The reference page's tip: the second host merges the first and changes what differs."""
    data = yaml.safe_load(dump_scenario(load_scenario("healthy-cluster")))
    first, second = data["hosts"][0], data["hosts"][1]
    differs = {k: v for k, v in second.items() if first.get(k) != v}
    text = dump_scenario(load_scenario("healthy-cluster"))
    data["hosts"] = ["FIRST", "SECOND"]
    head, tail = yaml.safe_dump(data, sort_keys=False).split("- FIRST\n- SECOND\n")
    merged = (head + "- &esx01 " + _flow(first)
              + "\n- <<: *esx01\n" + "".join(f"  {k}: {_flow(v)}\n"
                                           for k, v in differs.items()) + tail)
    assert load_scenario_text(merged) == load_scenario_text(text)


def _flow(value):
    return yaml.safe_dump(value, default_flow_style=True, width=10**6).strip().removesuffix("\n...")


def test_cli_shortening_keeps_the_text_between_quoted_values():
    from vmotion_core.cli import _short
    text = "--vm: unknown vm 'nope'; known: " + ", ".join(f"vm{i}" for i in range(20)) + "; 'x'"
    assert _short(text) == text


def test_known_names_in_a_message_are_shortened_too():
    """A rejected object's long name is still a 'known' name for later references (found by
    tests/fuzz): the list shows it shortened."""
    data = yaml.safe_load(dump_scenario(load_scenario("healthy-cluster")))
    data["licenses"][0]["name"] = "L" * 200_000
    with pytest.raises(ScenarioError) as info:
        scenario_from_dict(data)
    assert all(len(p) < 400 for p in info.value.problems), [p[:300] for p in info.value.problems]
    assert any("known: 'LLLL" in p for p in info.value.problems)


@pytest.mark.parametrize("text, shown_as", [
    ('"\\e]2;title\\a": 1\n', "'\\x1b]2;title\\x07': unknown section"),
    ('sites: [{name: a, "\\e[31m": 1}]\n', "sites[0].'\\x1b[31m': unknown key"),
    ('story: !!int "\\e[31m"\n', "story: '\\x1b[31m' is not a whole number"),
    ('sites: [{name: "a\\tb"}]\n', "sites[0].name: 'a\\tb' is not a valid name"),
])
def test_control_characters_are_never_echoed_raw(text, shown_as):
    """A learner's file must not drive the instructor's terminal (escape sequences)."""
    problem = _one(BASE + text)
    assert shown_as in problem and "\x1b" not in problem and "\t" not in problem, problem
