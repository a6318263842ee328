"""Generate the reference pages that are data, not API, from the code itself. Not public.

- ``rules.md``: the catalogue of compatibility rules, from ``vmotion_core.compat.RULES``.

The Python API pages and the ``vmotion`` command page are not generated here: Sphinx writes them
while it builds (autosummary + autodoc + napoleon from ``reference/api/index.rst``, sphinx-argparse
from ``reference/cli.md``).

Usage: ``python book/_scripts/gen_reference.py OUTDIR`` prints one line per page.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _rulesdoc import write_rules_page  # noqa: E402


def generate(outdir):
    """Write every generated reference page into ``outdir``; return the written pages."""
    write_rules_page(Path(outdir) / "rules.md")
    return ["rules.md"]


if __name__ == "__main__":
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "reference")
    for p in generate(out):
        print(f"reference: wrote {out / p}")
