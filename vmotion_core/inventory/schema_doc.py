"""The field reference of ``book/reference/scenario-format.md``, derived from the declarations.

The part of the page between the two ``scenario-fields`` markers (top-level sections and one table
per object kind: key, type / allowed, default, meaning) is written from ``SECTIONS`` and the
model's field declarations, never by hand. ``tests/inventory/test_reference_page.py`` fails when
the committed page differs from what this module writes; refresh it with::

    python -m vmotion_core.inventory.schema_doc book/reference/scenario-format.md

The book build may instead call :func:`write_page` on its staged copy.
"""

import dataclasses
import json
import sys
from collections import Counter
from pathlib import Path

from ..fields import meaning_of, schema_of
from ._validate import SECTIONS, objects

__all__ = ["field_reference", "render_page", "write_page", "BEGIN", "END"]

BEGIN = ("<!-- scenario-fields: generated from the field declarations by "
         "vmotion_core.inventory.schema_doc; do not edit by hand -->")
END = "<!-- /scenario-fields -->"

# Learner-visible wording of the generated part, in one place.
_TEXT = {
    "sections": "## Top-level sections",
    "sections_head": "| section | content |\n|---|---|",
    "sections_after": (
        "Every list section may be left out (it is then empty). `name` and `schema_version` are "
        "required.\n`changes` is written by `dump_scenario` after mutations and read back, so a "
        "saved lab state keeps\nits history."),
    "fields": "## Fields",
    "fields_intro": (
        "Units are in the key names (`memory_gib`, `speed_mbps`, `rtt_ms`). \"name\" means a name "
        "as\ndescribed above; \"label\" a name that may contain `/`. A key left out takes its "
        "default.\n`port_groups[]` has the same fields on standard switches "
        "(`hosts[].standard_switches[].port_groups[]`)\nand distributed switches "
        "(`distributed_switches[].port_groups[]`)."),
    "table_head": "| key | type / allowed | default | meaning |\n|---|---|---|---|",
    "required": "**required**",
    "factory": "see below",
}


def _objects():
    """``[(heading, cls)]`` in page order: each section, then the objects nested in it (depth
    first). A kind found in more than one place (port groups) gets one table, headed by its key."""
    found = objects()
    counts, first = Counter(cls for _, cls in found), {}
    for path, cls in found:
        first.setdefault(cls, path)
    return [(path.rsplit(".", 1)[-1] if counts[cls] > 1 else path, cls)
            for cls, path in first.items()]


def _default(f):
    if f.default_factory is not dataclasses.MISSING:
        return _TEXT["factory"]
    if f.default is dataclasses.MISSING:
        return _TEXT["required"]
    if isinstance(f.default, bool) or f.default in (None, (), ""):
        return json.dumps(f.default)  # as a file writes it: true, null, [], ""
    return f"`{f.default}`"


def _cell(text):
    return str(text).replace("|", "\\|").replace("\n", " ")


def _summary(cls):
    first = (cls.__doc__ or "").split("\n\n")[0]
    return " ".join(line.strip() for line in first.splitlines()).replace("``", "`")


def field_reference():
    """The generated part of the page (markdown, without the markers)."""
    lines = [_TEXT["sections"], "", _TEXT["sections_head"]]
    lines += [f"| `{key}` | {_cell(meaning)} |" for key, (_, meaning) in SECTIONS.items()]
    lines += ["", _TEXT["sections_after"], "", _TEXT["fields"], "", _TEXT["fields_intro"]]
    for heading, cls in _objects():
        lines += ["", f"### `{heading}`", "", _summary(cls), "", _TEXT["table_head"]]
        schema = schema_of(cls)
        for f in dataclasses.fields(cls):
            lines.append(f"| `{f.name}` | {_cell(schema[f.name].doc)} | {_default(f)} | "
                         f"{_cell(meaning_of(cls, f.name))} |")
    return "\n".join(lines)


def render_page(text):
    """``text`` (the page) with the part between the markers replaced by :func:`field_reference`."""
    start, end = text.index(BEGIN) + len(BEGIN), text.index(END)
    return f"{text[:start]}\n\n{field_reference()}\n\n{text[end:]}"


def write_page(path):
    """Rewrite the generated part of the page at ``path`` in place; return True if it changed."""
    path = Path(path)
    old = path.read_text(encoding="utf-8")
    new = render_page(old)
    if new != old:
        path.write_text(new, encoding="utf-8")
    return new != old


if __name__ == "__main__":
    page = sys.argv[1] if len(sys.argv) > 1 else "book/reference/scenario-format.md"
    print(f"{page}: {'updated' if write_page(page) else 'up to date'}")
