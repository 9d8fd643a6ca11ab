#!/usr/bin/env bash
# Installs the project's npm packages exactly as locked, only when they are missing or out of date,
# then builds. Shared by the demo and the test command so that both work on a fresh clone.
# --no-build: only the packages (what lint and the type check need).
set -euo pipefail
cd "$(dirname "$0")/.."
stamp=node_modules/.package-lock.json
if [ ! -f "$stamp" ] || [ package-lock.json -nt "$stamp" ]; then
  npm ci --no-audit --no-fund
fi
if [ "${1:-}" != --no-build ]; then
  node scripts/build.js
fi
