"""Copy the browser assets the book needs from ``book/node_modules`` into ``book/_vendor``.

Not public. Run after ``npm ci`` (``scripts/book.sh`` does both). The site must not fetch anything
from another host, so the widget manager, RequireJS and MathJax are served from the site itself:

- ``_vendor/require.js``            RequireJS, which the widget manager needs
- ``_vendor/widgets/embed-amd.js``  @jupyter-widgets/html-manager (renders saved widget state)
- ``_vendor/mathjax/...``           MathJax 3, CommonHTML output with its woff-v2 fonts

Sphinx copies ``_vendor`` into the built ``_static/``; ``_config.yml`` points at those paths.
The FontAwesome fonts inside the widget bundle are handled by ``assemble.py`` (they resolve
relative to each page, not to ``_static``).
"""

import json
import shutil
import sys
from pathlib import Path

BOOK = Path(__file__).resolve().parents[1]
NODE = BOOK / "node_modules"
VENDOR = BOOK / "_vendor"

# MathJax 3 (es5 build): the one combined component the pages load, plus what it loads lazily
# (TeX extensions via autoload, the menu, the accessibility explorer and its speech rules).
_MATHJAX_PARTS = ("tex-mml-chtml.js", "input/tex", "input/mml", "output/chtml", "a11y", "ui", "sre",
                  "adaptors")


def _need(path):
    if not path.exists():
        sys.exit(f"vendor: {path.relative_to(BOOK)} is missing; run `npm ci` in book/ first")
    return path


def _copy(src, dst):
    dst.parent.mkdir(parents=True, exist_ok=True)
    if src.is_dir():
        shutil.copytree(src, dst)
    else:
        shutil.copy2(src, dst)


def widget_dist():
    """Return the folder of the installed @jupyter-widgets/html-manager build."""
    return _need(NODE / "@jupyter-widgets" / "html-manager" / "dist")


def installed_versions():
    """Versions of the three vendored npm packages, read from node_modules."""
    names = ("@jupyter-widgets/html-manager", "requirejs", "mathjax")
    return {n: json.loads(_need(NODE / n / "package.json").read_text())["version"] for n in names}


def is_current():
    """True if ``_vendor`` holds exactly the installed package versions."""
    stamp = VENDOR / "VERSIONS.json"
    try:
        return json.loads(stamp.read_text()) == installed_versions() and \
            (VENDOR / "require.js").exists()
    except (OSError, ValueError):
        return False


def vendor():
    """Rebuild ``book/_vendor`` from ``book/node_modules``; return the number of files copied."""
    tmp = BOOK / "_vendor.tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    _copy(_need(NODE / "requirejs" / "require.js"), tmp / "require.js")
    _copy(widget_dist() / "embed-amd.js", tmp / "widgets" / "embed-amd.js")
    es5 = _need(NODE / "mathjax" / "es5")
    for part in _MATHJAX_PARTS:
        _copy(_need(es5 / part), tmp / "mathjax" / part)
    (tmp / "VERSIONS.json").write_text(json.dumps(installed_versions(), indent=2) + "\n")
    shutil.rmtree(VENDOR, ignore_errors=True)
    tmp.rename(VENDOR)  # never leave a half-copied _vendor behind
    return sum(1 for p in VENDOR.rglob("*") if p.is_file())


if __name__ == "__main__":
    n = vendor()
    print(f"vendor: {n} files into {VENDOR.relative_to(BOOK.parent)} {installed_versions()}")
