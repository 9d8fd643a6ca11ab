#!/usr/bin/env bash
# The whole test suite: installs what it needs, builds, and runs every test against the local simulator.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh
bash scripts/install-test-deps.sh
mkdir -p test-output
exec node node_modules/mocha/bin/mocha.js \
  --reporter dist/test/support/summary-reporter.js \
  --timeout 30000 --exit \
  'dist/test/**/*.test.js' "$@"
