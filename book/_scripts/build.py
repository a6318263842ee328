"""Build one edition of the book site, start to finish. Not public; ``scripts/book.sh`` calls it.

Steps: ``npm ci`` in ``book/`` (skipped when ``node_modules`` already matches the lock file;
``npm`` must exist either way), vendor the browser assets, stage the edition (pages, notebooks,
generated reference, TOC), run the notebooks on every core (jupyter-cache), then
``jupyter-book build`` with warnings as errors, which takes their outputs from that cache. A
failing cell stops the build.

Usage: ``python book/_scripts/build.py [--edition learner|instructor] [--out DIR]``.
The site ends up in ``DIR/_build/html`` (default ``DIR`` = ``book/_build/<edition>``).
"""

import argparse
import collections
import contextlib
import fcntl
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path
from unittest import mock

sys.path.insert(0, str(Path(__file__).resolve().parent))

import yaml  # noqa: E402

import assemble  # noqa: E402
import vendor  # noqa: E402

BOOK = assemble.BOOK
NON_CONTENT_PAGES = {"genindex.html", "search.html", "py-modindex.html"}


class BuildError(RuntimeError):
    """The book could not be built; the message says which step and why."""


def _step(name, t0):
    print(f"== book: {name} ({time.perf_counter() - t0:.1f} s)", flush=True)


def ensure_node_modules():
    """Run ``npm ci`` unless ``node_modules`` already matches ``package-lock.json``."""
    npm = shutil.which("npm")
    if npm is None:
        raise BuildError("npm is not installed: the book vendors its widget JS and MathJax from "
                         "the npm registry (install Node.js 18+ with npm, e.g. apt-get install npm)")
    lock = BOOK / "package-lock.json"
    marker = BOOK / "node_modules" / ".package-lock.json"
    if marker.exists() and _same_packages(lock, marker):
        return False
    res = subprocess.run([npm, "ci", "--ignore-scripts", "--no-audit", "--no-fund"], cwd=BOOK,
                         capture_output=True, text=True)
    if res.returncode:
        raise BuildError(f"npm ci failed in book/ (exit {res.returncode}):\n{res.stderr[-3000:]}")
    return True


def _same_packages(lock, marker):
    want = json.loads(lock.read_text()).get("packages", {})
    have = json.loads(marker.read_text()).get("packages", {})
    strip = lambda pk: {k: v.get("version") for k, v in pk.items() if k}  # noqa: E731
    return strip(want) == strip(have)


def content_pages(html_dir):
    """Relative paths of the content pages (no index redirect, search, genindex, module index)."""
    html_dir = Path(html_dir)
    pages = []
    for p in sorted(html_dir.rglob("*.html")):
        rel = p.relative_to(html_dir)
        if p.name in NON_CONTENT_PAGES or rel.parts[0] in ("_static", "_sources", "_images"):
            continue
        if rel.as_posix() == "index.html" and "http-equiv=\"Refresh\"" in p.read_text()[:2000]:
            continue  # Jupyter Book's redirect to the root page
        pages.append(rel.as_posix())
    return pages


@contextlib.contextmanager
def _flock(path):
    """Hold an exclusive lock on file ``path`` (two builds into one folder would clash, e.g. the
    book test and a browser test started from another shell; one npm/vendor step at a time)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _locked(out):
    return _flock(out.parent / f".{out.name}.lock")


def build(edition="learner", out=None, quiet=False, strict=True):
    """Build ``edition`` into ``out``; return a dict with the html folder, page count, timings."""
    out = Path(out or BOOK / "_build" / edition).resolve()
    with _locked(out):
        return _build(edition, out, quiet, strict)


def _build(edition, out, quiet, strict):
    t0 = time.perf_counter()
    with _flock(BOOK / "_build" / ".vendor.lock"):
        ensure_node_modules()
        _step("npm packages ready", t0)
        if vendor.is_current():
            _step("vendored browser assets are current", t0)
        else:
            vendor.vendor()
            _step("vendored browser assets", t0)
    src = out / "src"
    summary = assemble.stage(edition, src, preview=not strict)
    _step(f"staged {summary['pages']} pages ({summary['course']} course, {summary['labs']} labs)",
          t0)
    build_dir = out / "_build"
    shutil.rmtree(build_dir, ignore_errors=True)
    # COLUMNS: argparse wraps the CLI page's usage lines to it, so fix it for every terminal
    env = dict(os.environ, PYDEVD_DISABLE_FILE_VALIDATION="1", MPLBACKEND="agg", COLUMNS="100")
    t_build = time.perf_counter()
    ran, failed = execute_notebooks(src, build_dir / ".jupyter_cache", env)
    _step(f"executed {ran} notebooks, {min(ran, os.cpu_count() or 1)} at a time"
          + (f"; failed (Sphinx runs them again to show why): {', '.join(failed)}"
             if failed else ""), t0)
    # Jupyter Book's own command; it takes the outputs from the cache filled above. (Its
    # reading is serial: sphinx-external-toc always loads sphinx-multitoc-numbering, which does
    # not declare itself parallel-safe.)
    cmd = [sys.executable, "-c", "import sys; from jupyter_book.cli.main import main; "
           "sys.exit(main())", "build", str(src), "--path-output", str(out), "--builder", "html",
           "--all"] + (["-W", "--keep-going"] if strict else []) + (["-q"] if quiet else [])
    code, problems = _run_streaming(cmd, env)
    if code:
        raise BuildError(f"the book build failed (exit {code}). Staged sources: {src}\n"
                         + "\n".join(problems[-60:]))
    html = build_dir / "html"
    pages = len(content_pages(html))
    _step(f"built {pages} pages into {html}", t0)
    return {"edition": edition, "html": str(html), "pages": pages,
            "jupyter_book_s": round(time.perf_counter() - t_build, 1),
            "total_s": round(time.perf_counter() - t0, 1)}


def execute_notebooks(src, cache_dir, env):
    """Run the staged book's notebooks on every core before Sphinx reads them; return
    (number run, names of those that failed).

    The book's ``execute_notebooks: cache`` mode looks each notebook up in the jupyter-cache in
    ``cache_dir`` (the build folder's, emptied before every build, so every notebook runs on
    every build). This fills that cache with jupyter-cache's own parallel executor. A notebook
    that fails is not cached: Sphinx runs it again while reading and stops the build at the
    failing cell, with its traceback, exactly as without this step.
    """
    from jupyter_cache import get_cache
    from jupyter_cache.executors import load_executor

    cfg = yaml.safe_load((src / "_config.yml").read_text(encoding="utf-8"))["execute"]
    docs = assemble.toc_docs(yaml.safe_load((src / "_toc.yml").read_text(encoding="utf-8")))
    cache = get_cache(str(cache_dir))
    notebooks = [src / f"{d}.ipynb" for d in docs if (src / f"{d}.ipynb").exists()]
    for nb in notebooks:
        cache.add_nb_to_project(str(nb))
    with mock.patch.dict(os.environ, env):  # kernels inherit it (matplotlib backend, debugger quiet)
        result = load_executor("local-parallel", cache).run_and_cache(
            timeout=cfg.get("timeout", 300), allow_errors=bool(cfg.get("allow_errors")))
    failed = [Path(uri).relative_to(src).as_posix() for uri in result.excepted + result.errored]
    return len(notebooks), failed


_PROBLEM = re.compile(r"WARNING|ERROR|Error|Exception|Traceback|^\s+File |^-{5,}|^\S*Cell|^---->")
_ANSI = re.compile(r"\x1b\[[0-9;]*m")


def _run_streaming(cmd, env):
    """Run the build, echoing its output; return (exit code, warning/error lines)."""
    problems, tail = [], collections.deque(maxlen=40)
    with subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          text=True, errors="replace") as proc:
        for line in proc.stdout:
            sys.stdout.write(line)
            plain = _ANSI.sub("", line.rstrip())
            tail.append(plain)
            if _PROBLEM.search(plain) and "Kernel is running over TCP" not in plain:
                problems.append(plain)
    if proc.returncode and not problems:
        problems = list(tail)
    return proc.returncode, problems


_DIGEST_SOURCES = (("book", ("_build", "_vendor", "node_modules")), ("course", ()), ("labs", ()),
                   ("vmotion_core", ()))


def source_digest():
    """Fingerprint of everything a build reads (paths, sizes, modification times)."""
    h = hashlib.sha256()
    for top, skip in _DIGEST_SOURCES:
        base = BOOK.parent / top
        for p in sorted(base.rglob("*")):
            rel = p.relative_to(base)
            if not p.is_file() or (rel.parts and rel.parts[0] in skip) or "__pycache__" in p.parts \
                    or ".ipynb_checkpoints" in p.parts or p.suffix in (".pyc", ".so", ".c"):
                continue
            st = p.stat()
            h.update(f"{top}/{rel}:{st.st_size}:{st.st_mtime_ns}\n".encode())
    return h.hexdigest()


def ensure_built(edition, out, force=False):
    """Build ``edition`` into ``out`` unless a build of the same sources is already there
    (``force``: build anyway); record the sources' digest next to it."""
    out = Path(out).resolve()
    stamp = out / "build-summary.json"
    with _locked(out):
        digest = source_digest()
        if stamp.exists() and not force:
            summary = json.loads(stamp.read_text())
            if summary.get("digest") == digest and Path(summary["html"]).is_dir():
                return summary
        stamp.unlink(missing_ok=True)
        summary = _build(edition, out, quiet=True, strict=True)
        summary["digest"] = digest
        stamp.write_text(json.dumps(summary, indent=2) + "\n")
        return summary


def main(argv=None):
    ap = argparse.ArgumentParser(description="Build the vMotion Workshop book (one edition).")
    ap.add_argument("--edition", choices=assemble.EDITIONS, default="learner")
    ap.add_argument("--out", type=Path, help="build folder (default book/_build/EDITION)")
    ap.add_argument("--summary-json", type=Path, help="also write the build summary here")
    ap.add_argument("--allow-warnings", action="store_true",
                    help="preview while content is being written: warnings and failing cells "
                         "do not stop the build (tests and CI never do this)")
    args = ap.parse_args(argv)
    try:
        summary = build(args.edition, args.out, strict=not args.allow_warnings)
    except BuildError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(json.dumps(summary, indent=2))
    if args.summary_json:
        args.summary_json.write_text(json.dumps(summary, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
