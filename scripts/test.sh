#!/usr/bin/env bash
# Set up everything and run the whole test suite: unit tests on the compiled kernel, the core
# tests again on the NumPy twin, doctests, notebooks (nbval), the book build and browser tests.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh all
bash scripts/browser.sh || echo "!! Chromium could not be installed: browser tests will be skipped"
mkdir -p artifacts
export VMOTION_REQUIRE_COMPILED=1
echo "== pytest (compiled kernel, book, browser)"
.venv/bin/python -m pytest -q "$@"
echo "== notebooks: course and labs, executed top to bottom (nbval)"
shopt -s nullglob
notebooks=(course/*.ipynb labs/lab*/*.ipynb)
if [ ${#notebooks[@]} -gt 0 ]; then
  .venv/bin/python -m pytest -q --nbval-lax --nbval-current-env -p no:cacheprovider "${notebooks[@]}"
fi
echo "== pytest (core tests on the NumPy twin)"
VMOTION_REQUIRE_COMPILED= VMOTION_PURE_PYTHON=1 .venv/bin/python -m pytest -q -m "not browser and not book" tests/precopy
