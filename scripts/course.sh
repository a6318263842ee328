#!/usr/bin/env bash
# Set up and open the course in JupyterLab (http://localhost:8888).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
extra=()
[ "$(id -u)" = 0 ] && extra+=(--allow-root)
start="course/00-start-here.ipynb"
[ -f "$start" ] || start="course"
exec .venv/bin/jupyter lab "${extra[@]}" --ServerApp.root_dir="$PWD" "$start" "$@"
