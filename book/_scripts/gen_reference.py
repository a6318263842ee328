"""Generate the book's reference pages from the code itself. Not public.

Three pages (or page groups) are written into an output folder, never retyped by hand:

- ``cli.md``: every ``vmotion`` sub-command and option, from ``vmotion_core.cli.build_parser()``.
- ``api/``: the public Python API: each public module's ``__all__`` with signatures and docstrings.
- ``rules.md``: the catalogue of compatibility rules, from ``vmotion_core.compat.RULES``.

Usage: ``python book/_scripts/gen_reference.py OUTDIR`` prints one line per page and a line
``missing: ...`` for any source that does not exist yet (the caller decides whether that is fatal).
"""

import argparse
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _apidoc import write_api_pages  # noqa: E402
from _rulesdoc import write_rules_page  # noqa: E402

# argparse wraps help text to $COLUMNS; fix it so the page does not depend on the terminal.
os.environ["COLUMNS"] = "100"


def _md_escape(text):
    return str(text).replace("|", "\\|").replace("\n", " ")


def _label(prog):
    return "cli-" + "-".join(prog.split()[1:])


def _option_rows(parser):
    rows = []
    for action in parser._actions:
        if isinstance(action, (argparse._HelpAction, argparse._SubParsersAction)):
            continue
        if action.help == argparse.SUPPRESS:
            continue
        if action.option_strings:
            names = ", ".join(f"`{o}`" for o in action.option_strings)
            if action.nargs != 0:
                meta = action.metavar or action.dest.upper()
                names += f" `{meta if isinstance(meta, str) else ' '.join(meta)}`"
        else:
            names = f"`{action.metavar or action.dest}`"
        default = action.default
        if default in (None, argparse.SUPPRESS, False) or action.nargs == 0:
            default = ""
        else:
            default = f"`{default}`"
        choices = ""
        if action.choices is not None and not isinstance(action.choices, dict):
            choices = ", ".join(f"`{c}`" for c in action.choices)
        help_text = (action.help or "") % {"default": action.default, "prog": parser.prog} \
            if action.help and "%(" in action.help else (action.help or "")
        rows.append((names, help_text, default, choices))
    return rows


def _subcommands(parser):
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            helps = {a.dest: a.help for a in action._choices_actions}
            return [(name, sub, helps.get(name, "")) for name, sub in action.choices.items()]
    return []


def _parser_section(parser, level, lines):
    usage = parser.format_usage().strip().removeprefix("usage: ")
    lines += ["```text", usage, "```", ""]
    if parser.description:
        lines += [parser.description.strip(), ""]
    rows = _option_rows(parser)
    if rows:
        lines += ["| Argument | Meaning | Default | Allowed |", "|---|---|---|---|"]
        lines += [f"| {n} | {_md_escape(h)} | {d} | {c} |" for n, h, d, c in rows]
        lines.append("")
    if parser.epilog:
        lines += ["```text", parser.epilog.strip(), "```", ""]
    for name, sub, help_text in _subcommands(parser):
        lines += [f"({_label(sub.prog)})=", f"{'#' * level} `{sub.prog}`", ""]
        if help_text:
            lines += [help_text.strip()[0].upper() + help_text.strip()[1:], ""]
        _parser_section(sub, level + 1, lines)


def write_cli_page(outdir):
    """Write ``cli.md`` from the live argparse parser; return the number of sub-commands."""
    from vmotion_core.cli import build_parser

    parser = build_parser()
    subs = _subcommands(parser)
    lines = [
        "# Command line: `vmotion`",
        "",
        "This page is generated from the command's own argument parser at build time, so it always "
        "matches the installed version. Run `vmotion COMMAND --help` for the same text in a "
        "terminal (after `bash scripts/setup.sh`, the command is `.venv/bin/vmotion`).",
        "",
        "Exit codes: `0` success, `1` the migration is blocked or failed, `2` a usage error "
        "(one line on stderr, naming the field and what is allowed).",
        "",
        "## Overview",
        "",
    ]
    if subs:
        lines += ["| Command | Purpose |", "|---|---|"]
        lines += [f"| {{ref}}`{n} <{_label(sub.prog)}>` | {_md_escape(h)} |" for n, sub, h in subs]
        lines.append("")
    _parser_section(parser, 2, lines)
    _write(Path(outdir) / "cli.md", "\n".join(lines))
    return len(subs)


def _write(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(text.rstrip() + "\n", encoding="utf-8")
    tmp.replace(path)


def generate(outdir):
    """Write every reference page into ``outdir``; return (written pages, missing sources)."""
    outdir = Path(outdir)
    written, missing = [], []
    n_cmd = write_cli_page(outdir)
    written.append("cli.md")
    if n_cmd == 0:
        missing.append("vmotion_core.cli.COMMANDS is empty: no sub-commands to document")
    api_pages, api_missing = write_api_pages(outdir / "api")
    written += [f"api/{p}" for p in api_pages]
    missing += api_missing
    rules = write_rules_page(outdir / "rules.md")
    if rules is None:
        missing.append("vmotion_core.compat.RULES does not exist yet: no rule catalogue")
    else:
        written.append("rules.md")
    return written, missing


if __name__ == "__main__":
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "reference")
    pages, gaps = generate(out)
    for p in pages:
        print(f"reference: wrote {out / p}")
    for g in gaps:
        print(f"missing: {g}")
    import _apidoc
    for n in _apidoc.notes:
        print(f"note: {n}")
