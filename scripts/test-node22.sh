#!/usr/bin/env bash
# The whole test suite again on Node.js 22 against Node-RED 5 (the other supported line; scripts/test.sh runs
# Node-RED 4 on this machine's Node). Both come from the npm registry into node_modules/.cache, once:
#   node_modules/.cache/node-22      the npm package node@22 (a Node 22 binary)
#   node_modules/.cache/node-red-5   node-red@5, installed with that Node 22
# The test helper and the real-process tests load Node-RED from TUNEWIRE_NODE_RED_PATH (test/support/
# node-red-process.ts → resolveNodeRed). The build goes to its own folder (default dist-node22) so it never
# disturbs dist. Extra arguments go to mocha (e.g. a single test file).
#
#   bash scripts/test-node22.sh
#   TUNEWIRE_BUILD_DIR=dist-x bash scripts/test-node22.sh 'dist-x/test/faults.test.js'
set -euo pipefail
cd "$(dirname "$0")/.."

cache=node_modules/.cache
node22_dir="$cache/node-22"
nr5_dir="$cache/node-red-5"
build="${TUNEWIRE_BUILD_DIR:-dist-node22}"

bash scripts/install.sh --no-build >/dev/null # the project's own packages (mocha, the test helper, got …), as locked; this line builds into $build below

node22="$node22_dir/node_modules/node/bin/node"
if [ ! -x "$node22" ] || ! "$node22" --version | grep -q '^v22\.'; then
  echo "installing node@22 into $node22_dir"
  npm install --prefix "$node22_dir" --no-audit --no-fund --no-save node@22 >/dev/null
fi
node22="$(cd "$(dirname "$node22")" && pwd)/node"

if [ ! -f "$nr5_dir/node_modules/node-red/package.json" ] ||
  ! grep -q '"version": "5\.' "$nr5_dir/node_modules/node-red/package.json"; then
  echo "installing node-red@5 into $nr5_dir"
  # npm runs on Node 22 here, so the engine check and any install scripts see the Node that will run it.
  PATH="$(dirname "$node22"):$PATH" npm install --prefix "$nr5_dir" --no-audit --no-fund --no-save node-red@5 >/dev/null
fi

export TUNEWIRE_NODE_RED_PATH="$PWD/$nr5_dir"
echo "Node $("$node22" --version), Node-RED $("$node22" -p "require('$TUNEWIRE_NODE_RED_PATH/node_modules/node-red/package.json').version")"

TUNEWIRE_BUILD_DIR="$build" "$node22" scripts/build.js
mkdir -p test-output
if [ "$#" -eq 0 ]; then set -- "$build/test/**/*.test.js"; fi
# PATH first: anything a test spawns with plain `node` gets Node 22 as well.
PATH="$(dirname "$node22"):$PATH" exec "$node22" node_modules/mocha/bin/mocha.js \
  --reporter "$build/test/support/summary-reporter.js" --require "$build/test/support/root-hooks.js" \
  --timeout 30000 --exit "$@"
