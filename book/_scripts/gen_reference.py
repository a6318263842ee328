"""Generate the reference pages that are data, not API, from the code itself. Not public.

- ``rules.md``: the catalogue of compatibility rules, from ``vmotion_core.compat.RULES``.

The Python API pages and the ``vmotion`` command page are not generated here: Sphinx writes them
while it builds (autosummary + autodoc + napoleon from ``reference/api/index.rst``, sphinx-argparse
from ``reference/cli.md``).

Usage: ``python book/_scripts/gen_reference.py OUTDIR`` prints one line per page and a line
``missing: ...`` for any source that does not exist yet (the caller decides whether that is fatal).
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _rulesdoc import write_rules_page  # noqa: E402


def generate(outdir):
    """Write every generated reference page into ``outdir``; return (written pages, missing)."""
    outdir = Path(outdir)
    if write_rules_page(outdir / "rules.md") is None:
        return [], ["vmotion_core.compat.RULES does not exist yet: no rule catalogue"]
    return ["rules.md"], []


if __name__ == "__main__":
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "reference")
    pages, gaps = generate(out)
    for p in pages:
        print(f"reference: wrote {out / p}")
    for g in gaps:
        print(f"missing: {g}")
