#!/usr/bin/env bash
# Finds the browser the browser tests drive (through playwright-core) and prints its path on stdout:
#   1. CHROMIUM_PATH, when set (any installed Chrome or Chromium; an error when it is not executable);
#   2. Debian's /usr/bin/chromium;
#   3. chromium, chromium-browser, google-chrome-stable or google-chrome on PATH;
#   4. otherwise Debian's chromium, installed with apt-get as root or through sudo (never a browser download
#      of its own).
# When none can be found or installed, it prints nothing and exits 0 after a loud notice: the rest of the suite
# runs and the browser suite is reported as skipped. With CI=true a browser is required and this exits 1.
# TUNEWIRE_SYSTEM_CHROMIUM replaces /usr/bin/chromium (for this script's own test).
set -euo pipefail
system_chromium="${TUNEWIRE_SYSTEM_CHROMIUM:-/usr/bin/chromium}"

if [ -n "${CHROMIUM_PATH:-}" ]; then
  if [ -x "$CHROMIUM_PATH" ] && [ ! -d "$CHROMIUM_PATH" ]; then
    echo "$CHROMIUM_PATH"
    exit 0
  fi
  echo "install-test-deps: CHROMIUM_PATH=$CHROMIUM_PATH is not an executable file" >&2
  exit 1
fi

found() {
  if [ -x "$system_chromium" ]; then
    echo "$system_chromium"
    return 0
  fi
  local name
  for name in chromium chromium-browser google-chrome-stable google-chrome; do
    if command -v "$name" >/dev/null 2>&1; then
      command -v "$name"
      return 0
    fi
  done
  return 1
}

if found; then exit 0; fi

# How apt-get can run here: directly as root, through sudo without a password, or through sudo at a terminal.
via=''
why=''
if ! command -v apt-get >/dev/null 2>&1; then
  why='apt-get is not available'
elif [ "$(id -u)" -eq 0 ]; then
  via=root
elif command -v sudo >/dev/null 2>&1 && { sudo -n true 2>/dev/null || [ -t 0 ]; }; then
  via=sudo
else
  why='this user is not root and cannot use sudo'
fi
apt() {
  if [ "$via" = root ]; then DEBIAN_FRONTEND=noninteractive apt-get "$@"; else sudo DEBIAN_FRONTEND=noninteractive apt-get "$@"; fi
}

if [ -n "$via" ]; then
  echo "install-test-deps: installing Debian's chromium with apt-get" >&2
  if apt update >&2 && apt install -y chromium >&2 && found; then
    exit 0
  fi
  why='apt-get could not install chromium'
fi

if [ "${CI:-}" = true ]; then
  echo "install-test-deps: no browser for the browser tests ($why), and CI=true requires them." >&2
  echo "install-test-deps: install Debian's chromium, or set CHROMIUM_PATH to an installed Chrome or Chromium." >&2
  exit 1
fi
# printf, not cat: a builtin, so the notice appears on any PATH.
printf '%s\n' '' \
  '################################################################################' \
  "##  BROWSER TESTS WILL BE SKIPPED: no Chrome or Chromium found ($why)." \
  '##  Everything else runs. To run them too, either' \
  '##    CHROMIUM_PATH=/path/to/chrome npm test     (any installed Chrome or Chromium)' \
  "##    sudo apt-get install chromium              (Debian's, at /usr/bin/chromium)" \
  '##  With CI=true a missing browser fails the run instead.' \
  '################################################################################' '' >&2
