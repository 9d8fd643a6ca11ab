#!/usr/bin/env bash
# The fast loop while editing (`npm run test:unit`): test/unit (the library, the simulator, stores and the
# adapter's pure functions, editor↔runtime parity) and test/flow (every node in an in-process Node-RED, through
# node-red-node-test-helper, against the simulator), by folder (scripts/test-kinds.sh). Left out: test/process
# (real Node-RED processes: restarts, kills, the demo, adminAuth, secrets, the package) and test/browser.
# `npm test` runs everything; run it before submitting. The build is redone only when a source changed.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh --if-changed
read -r -a globs <<<"$(bash scripts/test-kinds.sh fast-loop dist)"
unsorted="$(bash scripts/test-kinds.sh unsorted dist)"
if [ -n "$unsorted" ]; then
  echo "test:unit leaves out test files in no kind folder (move each into test/unit, flow, process or browser):" >&2
  sed 's/^/  /' <<<"$unsorted" >&2
fi
mkdir -p test-output
exec node node_modules/mocha/bin/mocha.js \
  --reporter dist/test/support/summary-reporter.js --require dist/test/support/root-hooks.js \
  --timeout 30000 --exit "${globs[@]}" "$@"
