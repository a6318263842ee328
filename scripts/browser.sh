#!/usr/bin/env bash
# Make sure Debian's Chromium is there for the Playwright tests (never `playwright install`).
set -euo pipefail
[ -x /usr/bin/chromium ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "== installing Debian chromium"
  apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium >/dev/null
else
  exit 1
fi
