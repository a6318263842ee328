"""The book runs its notebooks on every core into Jupyter Book's cache before Sphinx reads them
(book/_scripts/build.py: execute_notebooks). A failing notebook is reported and left out of the
cache, so Sphinx runs it again and stops the build at the failing cell."""

import json
import os
import sys
from pathlib import Path

import yaml
from jupyter_cache import get_cache

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "book" / "_scripts"))
import build as book_build  # noqa: E402


def _nb(path, source):
    cell = {"cell_type": "code", "metadata": {}, "source": source, "outputs": [],
            "execution_count": None}
    nb = {"cells": [cell], "nbformat": 4, "nbformat_minor": 4,
          "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3",
                                      "language": "python"}}}
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(nb), encoding="utf-8")


def test_notebooks_run_into_the_cache_and_a_failing_one_is_named(tmp_path):
    src = tmp_path / "src"
    _nb(src / "good.ipynb", "import os\nprint(os.environ['MPLBACKEND'])")
    _nb(src / "sub" / "bad.ipynb", "1 / 0")
    _nb(src / "not_in_toc.ipynb", "raise SystemExit('must not run')")
    (src / "intro.md").write_text("# Intro\n")
    (src / "_toc.yml").write_text(yaml.safe_dump(
        {"format": "jb-book", "root": "intro",
         "parts": [{"caption": "Course",
                    "chapters": [{"file": "good"}, {"file": "sub/bad"}]}]}))
    (src / "_config.yml").write_text(yaml.safe_dump({"execute": {"timeout": 60}}))
    cache_dir = tmp_path / "_build" / ".jupyter_cache"
    env = dict(os.environ, MPLBACKEND="agg")
    assert book_build.execute_notebooks(src, cache_dir, env) == (2, ["sub/bad.ipynb"])
    cache = get_cache(str(cache_dir))
    cached = [Path(r.uri).name for r in cache.list_cache_records()]
    assert cached == ["good.ipynb"]
    good = json.loads((src / "good.ipynb").read_text())
    _, merged = cache.merge_match_into_notebook(
        __import__("nbformat").reads(json.dumps(good), as_version=4))
    assert merged.cells[0].outputs[0]["text"] == "agg\n"  # the kernel saw the build's env
