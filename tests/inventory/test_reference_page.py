"""book/reference/scenario-format.md stays accurate to the code."""

import dataclasses
import pathlib
import re

import pytest

from vmotion_core.inventory import Environment, load_scenario_text, model, schema_doc
from vmotion_core.inventory._validate import SCHEMA, SECTIONS, Choice, ListOf, Optional

PAGE = pathlib.Path(__file__).parents[2] / "book" / "reference" / "scenario-format.md"
TEXT = PAGE.read_text(encoding="utf-8")


def _section(heading):
    start = TEXT.index(f"### `{heading}`")
    end = TEXT.find("\n### ", start + 1)
    return TEXT[start:end if end > 0 else None]


def _heading(cls):
    rows = re.findall(r"### `([^`]+)`\n\n([^\n]*)", TEXT)
    first = " ".join(ln.strip() for ln in (cls.__doc__ or "").split("\n\n")[0].splitlines())
    return next(h for h, para in rows if para == first.replace("``", "`"))


def test_every_section_documented():
    for key in SECTIONS:
        assert f"| `{key}` |" in TEXT, key


@pytest.mark.parametrize("cls", list(SCHEMA), ids=lambda c: c.__name__)
def test_every_field_documented_with_allowed_values(cls):
    body = _section(_heading(cls))
    for name, check in SCHEMA[cls].items():
        row = next((ln for ln in body.splitlines() if ln.startswith(f"| `{name}` |")), None)
        assert row, f"{cls.__name__}.{name} missing"
        while isinstance(check, (Optional, ListOf)):
            check = check.inner
        if isinstance(check, Choice):
            for value in check.values:
                assert f"`{value}`" in row, f"{cls.__name__}.{name}: {value}"
        field = next(f for f in dataclasses.fields(cls) if f.name == name)
        required = field.default is dataclasses.MISSING and field.default_factory is dataclasses.MISSING
        assert ("**required**" in row) == required, row


def test_example_is_valid_and_matches_minimal():
    example = re.search(r"## Example.*?```yaml\n(.*?)```", TEXT, re.S).group(1)
    env = load_scenario_text(example, "page example")
    minimal = (pathlib.Path(__file__).parent / "minimal.yaml").read_text()
    assert env == load_scenario_text(minimal)


def test_listed_mutation_methods_exist():
    listed = re.findall(r"`(\w+)`", TEXT.split("## Changing a scenario from Python")[1])
    methods = [n for n in listed if n not in ("Environment", "changes", "ConfigError")]
    assert len(methods) >= 30
    for name in methods:
        assert callable(getattr(Environment, name, None)), name


def test_generated_part_is_up_to_date():
    """The field tables are derived from the declarations; after changing a field, run
    ``python -m vmotion_core.inventory.schema_doc book/reference/scenario-format.md``."""
    assert schema_doc.render_page(TEXT) == TEXT


def test_generated_part_follows_a_changed_declaration(monkeypatch):
    """A changed range shows on the page (the test above cannot pass by accident)."""
    monkeypatch.setattr(SCHEMA[model.Vmknic]["mtu"], "doc", "integer 1280..9100")
    page = schema_doc.render_page(TEXT)
    assert "| `mtu` | integer 1280..9100 |" in page and page != TEXT


@pytest.mark.parametrize("cls", [c for c in vars(model).values()
                                 if dataclasses.is_dataclass(c)], ids=lambda c: c.__name__)
def test_every_model_field_declares_checker_and_meaning(cls):
    for f in dataclasses.fields(cls):
        assert "check" in f.metadata and f.metadata["meaning"], f"{cls.__name__}.{f.name}"
    assert SCHEMA[cls] == {f.name: f.metadata["check"] for f in dataclasses.fields(cls)}
