"""Build one edition of the book site, start to finish. Not public; ``scripts/book.sh`` calls it.

Steps: ``npm ci`` in ``book/`` (skipped when ``node_modules`` already matches the lock file;
``npm`` must exist either way), vendor the browser assets, stage the edition (pages, notebooks,
generated reference, TOC), then ``jupyter-book build`` with warnings as errors. Notebooks run
during the build; a failing cell stops it.

Usage: ``python book/_scripts/build.py [--edition learner|instructor] [--out DIR]``.
The site ends up in ``DIR/_build/html`` (default ``DIR`` = ``book/_build/<edition>``).
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

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


def count_pages(html_dir):
    """Number of content pages in a built site (not the index, search or module index)."""
    return sum(1 for p in Path(html_dir).rglob("*.html")
               if p.name not in NON_CONTENT_PAGES and "_static" not in p.parts
               and "_sources" not in p.parts)


def build(edition="learner", out=None, quiet=False):
    """Build ``edition`` into ``out``; return a dict with the html folder, page count, timings."""
    t0 = time.perf_counter()
    out = Path(out or BOOK / "_build" / edition).resolve()
    ensure_node_modules()
    _step("npm packages ready", t0)
    vendor.vendor()
    _step("vendored browser assets", t0)
    src = out / "src"
    summary = assemble.stage(edition, src)
    _step(f"staged {summary['pages']} pages ({summary['course']} course, {summary['labs']} labs)",
          t0)
    for gap in summary["missing"]:
        print(f"!! book: not in this build: {gap}", flush=True)
    build_dir = out / "_build"
    shutil.rmtree(build_dir, ignore_errors=True)
    jb = Path(sys.executable).with_name("jupyter-book")
    cmd = [str(jb) if jb.exists() else "jupyter-book", "build", str(src), "--path-output",
           str(out), "--builder", "html", "--all", "-W", "--keep-going"]
    if quiet:
        cmd.append("-q")
    env = dict(os.environ, PYDEVD_DISABLE_FILE_VALIDATION="1", MPLBACKEND="agg")
    t_build = time.perf_counter()
    res = subprocess.run(cmd, env=env)
    if res.returncode:
        raise BuildError(f"jupyter-book build failed (exit {res.returncode}); see the warnings "
                         f"and tracebacks above. Staged sources: {src}")
    html = build_dir / "html"
    pages = count_pages(html)
    _step(f"built {pages} pages into {html}", t0)
    return {"edition": edition, "html": str(html), "pages": pages,
            "jupyter_book_s": round(time.perf_counter() - t_build, 1),
            "total_s": round(time.perf_counter() - t0, 1), "missing": summary["missing"]}


def main(argv=None):
    ap = argparse.ArgumentParser(description="Build the vMotion Workshop book (one edition).")
    ap.add_argument("--edition", choices=assemble.EDITIONS, default="learner")
    ap.add_argument("--out", type=Path, help="build folder (default book/_build/EDITION)")
    ap.add_argument("--summary-json", type=Path, help="also write the build summary here")
    args = ap.parse_args(argv)
    try:
        summary = build(args.edition, args.out)
    except BuildError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(json.dumps(summary, indent=2))
    if args.summary_json:
        args.summary_json.write_text(json.dumps(summary, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
