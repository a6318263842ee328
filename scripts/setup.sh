#!/usr/bin/env bash
# Create .venv (if needed) and install the package with everything it needs.
# Idempotent: a second run only re-installs the package (rebuilding the compiled kernel).
# Usage: bash scripts/setup.sh [test|book|all]    (extras; default: none)
set -euo pipefail
cd "$(dirname "$0")/.."
extras="${1:-}"
PY="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
  echo "== creating .venv"
  "$PY" -m venv .venv
  .venv/bin/python -m pip install -q --upgrade pip
fi
spec="."
case "$extras" in
  "") ;;
  all) spec=".[test,book,class]" ;;
  *) spec=".[$extras]" ;;
esac
echo "== installing vmotion-workshop $spec (editable; builds the Cython kernel)"
.venv/bin/python -m pip install -q -e "$spec"
