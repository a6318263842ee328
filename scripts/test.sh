#!/usr/bin/env bash
# Set up everything and run the whole test suite on both pre-copy backends: pytest on the compiled
# kernel (unit tests, doctests, the book build, browser tests), the notebooks (nbval), then the whole
# non-browser pytest suite again on the NumPy twin (class-hub deployment tests once). Each pytest run names its backend in its first
# line. Arguments go to both pytest runs (e.g. `bash scripts/test.sh tests/precopy`).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh all
bash scripts/browser.sh || echo "!! Chromium could not be installed: browser tests will be skipped"
mkdir -p artifacts
# the backend is chosen by environment (vmotion_core/precopy/_backend.py)
export VMOTION_REQUIRE_COMPILED=1 VMOTION_PURE_PYTHON=
echo "== pytest on the compiled kernel (everything: unit, doctests, book, browser)"
.venv/bin/python -m pytest -q "$@"
echo "== notebooks: course and labs, executed top to bottom (nbval)"
shopt -s nullglob
notebooks=(course/*.ipynb labs/lab*/*.ipynb)
if [ ${#notebooks[@]} -gt 0 ]; then
  .venv/bin/python -m pytest -q --nbval-lax --nbval-current-env -p no:cacheprovider "${notebooks[@]}"
fi
echo "== pytest on the NumPy twin (the whole suite again, except the book build, browser and class-hub tests)"
# tests/class starts a real JupyterHub whose learner servers choose their own backend: running it
# again here would test the deployment twice and the twin not at all
VMOTION_REQUIRE_COMPILED= VMOTION_PURE_PYTHON=1 \
  .venv/bin/python -m pytest -q -p no:cacheprovider -m "not browser and not book" \
  --ignore=tests/class "$@" || {
  rc=$?; [ "$rc" -eq 5 ] || exit "$rc"; echo "(the arguments name only book, browser or class tests)"; }
