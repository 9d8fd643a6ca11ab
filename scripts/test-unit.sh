#!/usr/bin/env bash
# The fast loop while editing (`npm run test:unit`): every test that needs neither a Node-RED process nor a
# browser — the library and the simulator on their own, and the nodes in an in-process Node-RED (through
# node-red-node-test-helper) against the simulator — in well under a minute. Left out: the real-process tests
# (restarts, kills, the demo, adminAuth, secrets), the browser tests, and the slow ones (fuzz, triggers' polling).
# `npm test` runs everything; run it before submitting. The build is redone only when a source changed.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh --if-changed
files=(
  ids paging-and-batching rate-limit file-store token-store state-store messages scorecard simulator install-test-deps
  add-tracks authorization get-playlists library profile recently-played player request token-lifecycle
  playlists playlist-names playlist-by-name recipes search-and-catalog hostile-upstream migrations picker-limits
  same-origin refresh-races interrupted-refresh press-throttle fields editor-bundle node-tables proxy picker-rules scope-health
  message-ends oauth-debug adapter-units lists-into-writes rows error-texts
)
specs=()
for f in "${files[@]}"; do specs+=("dist/test/$f.test.js"); done
mkdir -p test-output
exec node node_modules/mocha/bin/mocha.js \
  --reporter dist/test/support/summary-reporter.js --require dist/test/support/root-hooks.js \
  --timeout 30000 --exit "${specs[@]}" "$@"
