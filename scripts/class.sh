#!/usr/bin/env bash
# Run a class of the vMotion Workshop on JupyterHub on this machine (as root).
# Usage: bash scripts/class.sh --roster roster.csv [--ip 0.0.0.0] [--port 8000] [--state DIR]
#        bash scripts/class.sh --roster roster.csv --update-course   # push a course update
#        bash scripts/class.sh --remove-accounts                     # delete the class's accounts
# See `bash scripts/class.sh --help` and the instructor guide ("Running a class on JupyterHub").
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh class >/dev/null
exec .venv/bin/python -m vmotion_class.launch "$@"
