#!/usr/bin/env bash
# The whole test suite: installs what it needs, builds, and runs every test against the local simulator —
# first on this machine's Node with the Node-RED the project locks (4.1), then again on Node 22 with Node-RED 5
# (scripts/test-node22.sh). Arguments (e.g. one test file from dist/test) run just those, on the first line only.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh --if-changed
bash scripts/install-test-deps.sh
mkdir -p test-output

only=$#
if [ "$only" -eq 0 ]; then set -- 'dist/test/**/*.test.js'; fi
status=0
echo "== Node $(node --version), Node-RED $(node -p "require('node-red/package.json').version")"
node node_modules/mocha/bin/mocha.js \
  --reporter dist/test/support/summary-reporter.js --require dist/test/support/root-hooks.js \
  --timeout 30000 --exit \
  "$@" || status=$?
if [ "$only" -gt 0 ]; then exit "$status"; fi

echo "== the same suite on Node 22 with Node-RED 5"
bash scripts/test-node22.sh || status=$?
exit "$status"
