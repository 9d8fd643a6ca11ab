#!/usr/bin/env bash
# Which compiled test files each run takes, by folder — one place for the test kinds:
#   test/unit     code that never meets Node-RED (the library, the simulator, stores, pure adapter functions)
#   test/flow     the nodes in an in-process Node-RED (node-red-node-test-helper) against the simulator
#   test/process  real Node-RED processes (restarts, kills, adminAuth, the demo) and the package as packed
#   test/browser  the editor in Chromium
#
#   bash scripts/test-kinds.sh fast-loop <build>     globs for `npm run test:unit`
#   bash scripts/test-kinds.sh first-line-but-browser <build>   globs for the first line's run beside its browser run
#   bash scripts/test-kinds.sh second-line <build>   globs for Node 22 / Node-RED 5 (scripts/test-node22.sh)
#   bash scripts/test-kinds.sh unsorted <build>      test files at test/'s root, in no kind folder (one a line)
# Globs are printed space-separated and quoted for mocha (it expands them), never expanded by the shell.
set -euo pipefail
cd "$(dirname "$0")/.."
what="${1:?fast-loop, first-line-but-browser, second-line or unsorted}"
build="${2:-dist}"
case "$what" in
  fast-loop) echo "$build/test/unit/**/*.test.js $build/test/flow/**/*.test.js" ;;
  first-line-but-browser)
    # test/'s root only when a file was left there (mocha warns about a glob that matches nothing).
    root=""
    if compgen -G "$build/test/*.test.js" >/dev/null; then root="$build/test/*.test.js "; fi
    echo "$root$build/test/unit/**/*.test.js $build/test/flow/**/*.test.js $build/test/process/**/*.test.js"
    ;;
  second-line) echo "$build/test/flow/**/*.test.js $build/test/process/**/*.test.js $build/test/browser/**/*.test.js" ;;
  unsorted)
    for f in "$build"/test/*.test.js; do
      if [ -e "$f" ]; then echo "test/$(basename "${f%.js}").ts"; fi
    done
    ;;
  *)
    echo "test-kinds.sh: unknown list \"$what\"" >&2
    exit 2
    ;;
esac
