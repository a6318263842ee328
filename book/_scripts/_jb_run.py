"""Run Jupyter Book 1's Sphinx build for a staged book, with parallel reading. Not public.

Same as ``jupyter-book build SRC --path-output OUT --builder html --all -W --keep-going``, plus
what the CLI does not expose: ``jobs`` (Sphinx parallel read). myst-nb executes notebooks while
reading, so with two jobs two notebooks run at once. Exit code 0 on success, 1 on failure.

Usage: ``python _jb_run.py SRC OUT JOBS STRICT(0|1) QUIET(0|1)``
"""

import sys
from pathlib import Path

import jupyter_book.sphinx as jb_sphinx
from sphinx_external_toc.parsing import parse_toc_yaml

import sphinx_multitoc_numbering

_multitoc_setup = sphinx_multitoc_numbering.setup


def _multitoc_parallel_safe(app):
    # sphinx-external-toc always loads sphinx-multitoc-numbering, which does not declare
    # parallel safety, so Sphinx would warn (an error under -W) and read serially. It only
    # replaces how section numbers are assigned, which Sphinx does in the main process after
    # the parallel readers have merged their results.
    meta = _multitoc_setup(app) or {}
    return {**meta, "parallel_read_safe": True, "parallel_write_safe": True}


sphinx_multitoc_numbering.setup = _multitoc_parallel_safe


def main(src, out, jobs, strict, quiet):
    src, out = Path(src).resolve(), Path(out).resolve()
    toc = src / "_toc.yml"
    parse_toc_yaml(toc)  # a malformed TOC fails here with a readable message
    result = jb_sphinx.build_sphinx(
        src, out / "_build" / "html", use_external_toc=True, noconfig=True,
        path_config=str(src / "_config.yml"),
        confoverrides={"external_toc_path": toc.as_posix(), "latex_individualpages": False},
        builder="html", warningiserror=strict, keep_going=strict, force_all=True,
        freshenv=True, jobs=jobs, quiet=quiet)
    if result:  # build_sphinx returns the exception (or a non-zero code) on failure
        print(f"book build failed: {result!r}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    a = sys.argv[1:]
    sys.exit(main(a[0], a[1], int(a[2]), a[3] == "1", a[4] == "1"))
