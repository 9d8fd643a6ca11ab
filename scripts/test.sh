#!/usr/bin/env bash
# The whole test suite: installs what it needs, builds when a source changed, and runs every test against the
# local simulator — on this machine's Node with the Node-RED the project locks (4.1), and at the same time on
# Node 22 with Node-RED 5 (scripts/test-node22.sh, versions pinned in test-lines.json) the tests whose outcome those can
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
# Each run's reporter appends its failures here; they are repeated at the very end (CI shows the output's tail).
export TUNEWIRE_FAILURES_FILE="$PWD/test-output/failures.txt"
: >"$TUNEWIRE_FAILURES_FILE"
unsorted="$(bash scripts/test-kinds.sh unsorted dist)"
status=0
line1="Node $(node --version), Node-RED $(node -p "require('node-red/package.json').version")"
mocha1=(node node_modules/mocha/bin/mocha.js
  --reporter dist/test/support/summary-reporter.js --require dist/test/support/root-hooks.js --timeout 30000 --exit)

if [ "$only" -ne 0 ]; then
  echo "== $line1"
  "${mocha1[@]}" "${skip[@]}" "$@" || status=$?
else
  # The whole suite as three runs side by side: each one mostly waits (on Node-RED starting, npm, Chromium,
  # pollers), so on an otherwise idle machine together they take about as long as the longest. Each run keeps
  # its own processes, ports and temporary folders; its output is shown whole, in this order, once it ends. Only
  # the second line draws the README's pictures into docs/images (as when the lines ran one after the other);
  # the first line's go to test-output/pictures-line1.
  runs=test-output/runs
  rm -rf "$runs" && mkdir -p "$runs"
  read -r -a first <<<"$(bash scripts/test-kinds.sh first-line-but-browser dist)"
  titles=() pids=()
  titles+=("$line1: test/unit, test/flow, test/process")
  "${mocha1[@]}" "${first[@]}" >"$runs/1.log" 2>&1 &
  pids+=($!)
  if [ -n "$browser" ]; then
    titles+=("$line1: test/browser")
    TUNEWIRE_PICTURES_DIR=test-output/pictures-line1 "${mocha1[@]}" 'dist/test/browser/**/*.test.js' >"$runs/2.log" 2>&1 &
    pids+=($!)
  fi
  titles+=("the same suite on Node 22 with Node-RED 5")
  bash scripts/test-node22.sh >"$runs/3.log" 2>&1 &
  pids+=($!)
  # An interrupted run takes the others down with it.
  trap 'kill "${pids[@]}" 2>/dev/null || true' EXIT
  logs=("$runs/1.log")
  if [ -n "$browser" ]; then logs+=("$runs/2.log"); fi
  logs+=("$runs/3.log")
  for i in "${!pids[@]}"; do
    run_status=0
    wait "${pids[$i]}" || run_status=$?
    echo "== ${titles[$i]}"
    cat "${logs[$i]}"
    if [ "$run_status" -ne 0 ]; then status=$run_status; fi
  done
  trap - EXIT
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
