#!/usr/bin/env bash
# The second test line: Node.js 22 against Node-RED 5 (scripts/test.sh runs it beside Node-RED 4 on this
# machine's Node), for the tests whose outcome they can change — test/flow, test/process, test/browser
# (scripts/test-kinds.sh second-line); test/unit never meets Node-RED and runs on the first line only. The exact versions are pinned in test-lines.json (`npm run
# test-lines:update` moves them to the newest 22.x and 5.x). Both come from the npm registry into
# node_modules/.cache, and again whenever the pinned version differs from the one installed there:
#   node_modules/.cache/node-22      the npm package node@<node22> (a Node 22 binary)
#   node_modules/.cache/node-red-5   node-red@<nodeRed5>, installed with that Node 22
# The test helper and the real-process tests load Node-RED from TUNEWIRE_NODE_RED_PATH (test/support/
# node-red-process.ts → resolveNodeRed). The build goes to its own folder (default dist-node22) so it never
# disturbs dist. Extra arguments go to mocha (e.g. a single test file).
#
#   bash scripts/test-node22.sh
#   TUNEWIRE_BUILD_DIR=dist-x bash scripts/test-node22.sh 'dist-x/test/process/faults.test.js'
set -euo pipefail
cd "$(dirname "$0")/.."

cache=node_modules/.cache
node22_dir="$cache/node-22"
nr5_dir="$cache/node-red-5"
build="${TUNEWIRE_BUILD_DIR:-dist-node22}"

bash scripts/install.sh --no-build >/dev/null # the project's own packages (mocha, the test helper, got …), as locked; this line builds into $build below

pinned() {
  local v
  v="$(node -p "require('./test-lines.json').$1")"
  [[ "$v" =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] || { echo "test-lines.json: $1 must be an exact version like 22.1.0, not \"$v\"" >&2; exit 2; }
  echo "$v"
}
node22_version="$(pinned node22)"
nr5_version="$(pinned nodeRed5)"

node22="$node22_dir/node_modules/node/bin/node"
if [ ! -x "$node22" ] || [ "$("$node22" --version)" != "v$node22_version" ]; then
  echo "installing node@$node22_version into $node22_dir (test-lines.json)"
  npm install --prefix "$node22_dir" --no-audit --no-fund --no-save "node@$node22_version" >/dev/null
fi
node22="$(cd "$(dirname "$node22")" && pwd)/node"

nr5_pkg="$nr5_dir/node_modules/node-red/package.json"
if [ ! -f "$nr5_pkg" ] || [ "$("$node22" -p "require('./$nr5_pkg').version")" != "$nr5_version" ]; then
  echo "installing node-red@$nr5_version into $nr5_dir (test-lines.json)"
  # npm runs on Node 22 here, so the engine check and any install scripts see the Node that will run it.
  PATH="$(dirname "$node22"):$PATH" npm install --prefix "$nr5_dir" --no-audit --no-fund --no-save "node-red@$nr5_version" >/dev/null
fi

export TUNEWIRE_NODE_RED_PATH="$PWD/$nr5_dir"
echo "Node $("$node22" --version), Node-RED $("$node22" -p "require('$TUNEWIRE_NODE_RED_PATH/node_modules/node-red/package.json').version")"

TUNEWIRE_BUILD_DIR="$build" "$node22" scripts/build.js --if-changed
mkdir -p test-output
if [ "$#" -eq 0 ]; then
  read -r -a globs <<<"$(bash scripts/test-kinds.sh second-line "$build")"
  set -- "${globs[@]}"
fi
# No browser here (scripts/test.sh found none and said so): the browser tests are left out, not failed.
if [ -n "${TUNEWIRE_SKIP_BROWSER:-}" ]; then set -- --ignore "$build/test/browser/**" "$@"; fi
# PATH first: anything a test spawns with plain `node` gets Node 22 as well.
PATH="$(dirname "$node22"):$PATH" exec "$node22" node_modules/mocha/bin/mocha.js \
  --reporter "$build/test/support/summary-reporter.js" --require "$build/test/support/root-hooks.js" \
  --timeout 30000 --exit "$@"
