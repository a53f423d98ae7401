#!/usr/bin/env bash
# Make sure Debian's chromium is there for the browser tests (never a browser download).
# `make test` and CI (.ci/run, through `make test`) both run this script:
#   - chromium already there ($CHROMIUM_PATH, chromium or chromium-browser): nothing to do;
#   - root with apt-get: install it;
#   - sudo that needs no password (sudo -n): install it through sudo;
#   - otherwise: one line saying what to run, and exit 1.
set -euo pipefail

PACKAGES=(chromium fonts-dejavu-core)

if [ -n "${CHROMIUM_PATH:-}" ] && [ -x "${CHROMIUM_PATH}" ]; then
  exit 0
fi
if command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1; then
  exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "ensure-chromium: the browser tests need Chromium; install it with your package manager (or set CHROMIUM_PATH), then rerun." >&2
  exit 1
fi

if [ "$(id -u)" = "0" ]; then
  AS_ROOT=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  AS_ROOT=(sudo -n)
else
  echo "ensure-chromium: the browser tests need Debian's chromium; run: sudo apt-get install ${PACKAGES[*]}" >&2
  exit 1
fi

echo "ensure-chromium: installing Debian's chromium for the browser tests" >&2
"${AS_ROOT[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
if ! apt-cache show chromium >/dev/null 2>&1; then
  # Ubuntu ships Chromium as a snap, not as a Debian package.
  echo "ensure-chromium: apt has no chromium package here (on Ubuntu it is a snap); install Chromium and set CHROMIUM_PATH to it, then rerun." >&2
  exit 1
fi
"${AS_ROOT[@]}" env DEBIAN_FRONTEND=noninteractive \
  apt-get install -y -qq --no-install-recommends "${PACKAGES[@]}" >/dev/null
if ! command -v chromium >/dev/null 2>&1; then
  echo "ensure-chromium: apt-get installed ${PACKAGES[*]} but no chromium is on PATH" >&2
  exit 1
fi
