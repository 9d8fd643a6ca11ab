#!/usr/bin/env bash
# Installs the project's npm packages exactly as locked, only when they are missing or out of date,
# then builds. Shared by the demo and the test command so that both work on a fresh clone.
#   --no-build     only the packages (what lint and the type check need)
#   --if-changed   build only when a source differs from what dist was built from (scripts/build.js)
set -euo pipefail
cd "$(dirname "$0")/.."
# Compared by content, not by time: a fresh checkout (or a second worktree sharing node_modules) has a newer
# lock file than the install without differing from it, and must not wipe a good install.
stamp=node_modules/.tunewire-lock-sha256
want=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ ! -f node_modules/.package-lock.json ] || [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  # Said first: the first run is quiet for a minute or two otherwise.
  echo "install: installing the npm packages package-lock.json pins (first run, or the lock file changed; a minute or two) …"
  npm ci --no-audit --no-fund
  echo "$want" >"$stamp"
fi
case "${1:-}" in
  --no-build) ;;
  --if-changed) node scripts/build.js --if-changed ;;
  *) node scripts/build.js ;;
esac
