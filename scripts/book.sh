#!/usr/bin/env bash
# Build the vMotion Workshop website (Jupyter Book 1), fully offline-capable, in one command:
# set up .venv with the book extra, `npm ci` the vendored browser assets (widget manager,
# RequireJS, MathJax) into book/_vendor, generate the reference pages from the code, stage the
# course and lab notebooks, and build with warnings as errors. Every notebook is executed; a
# failing cell fails the build.
#
# Usage: bash scripts/book.sh [--edition learner|instructor] [--out DIR]
#   learner    (default) exercise solutions hidden, no lab solutions, no instructor guide
#   instructor solutions shown, instructor guide included
# The site lands in DIR/_build/html (default DIR: book/_build/<edition>).
set -euo pipefail
cd "$(dirname "$0")/.."
command -v npm >/dev/null || { echo "error: npm is needed to vendor the book's browser assets (install Node.js 18+ and npm)" >&2; exit 1; }
bash scripts/setup.sh book
exec .venv/bin/python book/_scripts/build.py "$@"
