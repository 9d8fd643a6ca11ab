#!/usr/bin/env bash
# What the browser tests need besides npm packages: Debian's Chromium at /usr/bin/chromium, driven through
# playwright-core. Installed from Debian's packages only when missing; never a browser download of its own.
set -euo pipefail
if [ -x /usr/bin/chromium ]; then
  exit 0
fi
run() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null 2>&1; then sudo "$@"; else
    echo "install-test-deps: /usr/bin/chromium is missing and this user cannot run apt-get (not root, no sudo)" >&2
    exit 1
  fi
}
export DEBIAN_FRONTEND=noninteractive
run apt-get update
run apt-get install -y chromium
test -x /usr/bin/chromium || { echo "install-test-deps: apt-get did not provide /usr/bin/chromium" >&2; exit 1; }
