#!/usr/bin/env bash
# Installs the project's npm packages exactly as locked, only when they are missing or out of date,
# then builds. Shared by the demo and the test command so that both work on a fresh clone.
#   --no-build     only the packages (what lint and the type check need)
#   --if-changed   build only when a source differs from what dist was built from (scripts/build.js)
set -euo pipefail
cd "$(dirname "$0")/.."
stamp=node_modules/.package-lock.json
if [ ! -f "$stamp" ] || [ package-lock.json -nt "$stamp" ]; then
  npm ci --no-audit --no-fund
fi
case "${1:-}" in
  --no-build) ;;
  --if-changed) node scripts/build.js --if-changed ;;
  *) node scripts/build.js ;;
esac
