#!/usr/bin/env bash
# The whole test suite: installs what it needs, builds when a source changed, and runs every test against the
# local simulator — first on this machine's Node with the Node-RED the project locks (4.1), then on Node 22
# with Node-RED 5 (scripts/test-node22.sh, versions pinned in test-lines.json) the tests whose outcome those can
# change: test/flow, test/process and test/browser, not test/unit (code that never meets Node-RED). A test file
# left at test/'s root runs on the first line only, with a notice naming it. Arguments (e.g. one test file
# from dist/test) run just those, on the first line only. Without a browser or redis-server
# (scripts/install-test-deps.sh) the browser tests or the tests of several instances sharing Redis are skipped,
# loudly, unless CI=true.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh --if-changed
browser="$(bash scripts/install-test-deps.sh)"
skip=()
if [ -n "$browser" ]; then
  export CHROMIUM_PATH="$browser"
else
  export TUNEWIRE_SKIP_BROWSER=1 # scripts/test-node22.sh leaves them out too
  skip=(--ignore 'dist/test/browser/**')
fi
redis="$(bash scripts/install-test-deps.sh redis)"
if [ -n "$redis" ]; then
  export REDIS_SERVER_PATH="$redis" # test/support/redis-server.ts starts it on a free port, and stops it
else
  export TUNEWIRE_SKIP_REDIS=1
fi
mkdir -p test-output

only=$#
# Each line's reporter appends its failures here; they are repeated at the very end (CI shows the output's tail).
export TUNEWIRE_FAILURES_FILE="$PWD/test-output/failures.txt"
: >"$TUNEWIRE_FAILURES_FILE"
if [ "$only" -eq 0 ]; then set -- 'dist/test/**/*.test.js'; fi
unsorted="$(bash scripts/test-kinds.sh unsorted dist)"
status=0
echo "== Node $(node --version), Node-RED $(node -p "require('node-red/package.json').version")"
node node_modules/mocha/bin/mocha.js \
  --reporter dist/test/support/summary-reporter.js --require dist/test/support/root-hooks.js \
  --timeout 30000 --exit "${skip[@]}" \
  "$@" || status=$?

if [ "$only" -eq 0 ]; then
  echo "== the same suite on Node 22 with Node-RED 5"
  bash scripts/test-node22.sh || status=$?
fi

if [ "$only" -eq 0 ] && [ -n "$unsorted" ]; then
  cat >&2 <<NOTICE

################################################################################
##  TEST FILES OUTSIDE test/unit, test/flow, test/process, test/browser ran on
##  the first line only (Node-RED 4.1); move each into the folder of its kind:
$(sed 's/^/##    /' <<<"$unsorted")
################################################################################
NOTICE
fi
if [ -z "$browser" ]; then
  cat >&2 <<'NOTICE'

################################################################################
##  BROWSER TESTS SKIPPED (dist/test/browser): no Chrome or Chromium was found.
##  Run them with CHROMIUM_PATH=/path/to/chrome npm test, or after
##  sudo apt-get install chromium. The results above do not cover the editor.
################################################################################
NOTICE
fi
if [ -z "$redis" ]; then
  cat >&2 <<'NOTICE'

################################################################################
##  REDIS TESTS SKIPPED (several Node-RED instances sharing one Redis): no
##  redis-server was found. Run them with REDIS_SERVER_PATH=/path/to/redis-server
##  npm test, or after sudo apt-get install redis-server.
################################################################################
NOTICE
fi
if [ -s "$TUNEWIRE_FAILURES_FILE" ]; then
  echo
  echo "== failed tests, every line:"
  cat "$TUNEWIRE_FAILURES_FILE"
elif [ "$status" -ne 0 ]; then
  echo
  echo "== a test run exited $status without a failed test (a crash or a hook outside any test); see above"
fi
exit "$status"
