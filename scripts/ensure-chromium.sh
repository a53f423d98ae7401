#!/usr/bin/env bash
# Make sure Debian's chromium is present for the browser tests (never a browser download).
set -euo pipefail
if command -v chromium >/dev/null 2>&1; then
  exit 0
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "ensure-chromium: installing Debian's chromium for the browser tests" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >/dev/null
  exit 0
fi
echo "ensure-chromium: the browser tests need chromium. Install it with:" >&2
echo "  sudo apt-get install chromium" >&2
exit 1
