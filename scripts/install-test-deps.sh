#!/usr/bin/env bash
# Finds (or installs) a program the tests drive and prints its path on stdout. The argument names it:
#   chromium (the default)  the browser for the browser tests (through playwright-core);
#   redis                   redis-server, for the tests of several Node-RED instances sharing one Redis.
# In this order:
#   1. CHROMIUM_PATH / REDIS_SERVER_PATH, when set (an error when it is not executable);
#   2. Debian's /usr/bin/chromium / /usr/bin/redis-server;
#   3. the program on PATH (chromium, chromium-browser, google-chrome-stable, google-chrome / redis-server);
#   4. otherwise Debian's package (chromium / redis-server), installed with apt-get as root or through sudo
#      (never a download of its own).
# When none can be found or installed, it prints nothing and exits 0 after a loud notice: the rest of the suite
# runs and those tests are reported as skipped. With CI=true the program is required and this exits 1.
# TUNEWIRE_SYSTEM_CHROMIUM / TUNEWIRE_SYSTEM_REDIS replace the /usr/bin paths (for this script's own test).
set -euo pipefail
what="${1:-chromium}"

case "$what" in
  chromium)
    env_name=CHROMIUM_PATH
    system_path="${TUNEWIRE_SYSTEM_CHROMIUM:-/usr/bin/chromium}"
    names=(chromium chromium-browser google-chrome-stable google-chrome)
    # A Japanese font too: the language tests' screenshots of the ja editor show its words, not empty boxes.
    package='chromium fonts-ipafont-gothic'
    tests='BROWSER TESTS'
    program='Chrome or Chromium'
    example='CHROMIUM_PATH=/path/to/chrome npm test     (any installed Chrome or Chromium)'
    ;;
  redis)
    env_name=REDIS_SERVER_PATH
    system_path="${TUNEWIRE_SYSTEM_REDIS:-/usr/bin/redis-server}"
    names=(redis-server)
    package=redis-server
    tests='REDIS TESTS (several instances)'
    program='redis-server'
    example='REDIS_SERVER_PATH=/path/to/redis-server npm test'
    ;;
  *)
    echo "install-test-deps: unknown program '$what' (chromium or redis)" >&2
    exit 2
    ;;
esac

given="${!env_name:-}"
if [ -n "$given" ]; then
  if [ -x "$given" ] && [ ! -d "$given" ]; then
    echo "$given"
    exit 0
  fi
  echo "install-test-deps: $env_name=$given is not an executable file" >&2
  exit 1
fi

found() {
  if [ -x "$system_path" ]; then
    echo "$system_path"
    return 0
  fi
  local name
  for name in "${names[@]}"; do
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
  echo "install-test-deps: installing Debian's $package with apt-get" >&2
  # shellcheck disable=SC2086 # $package may name several packages
  if apt update >&2 && apt install -y $package >&2 && found; then
    exit 0
  fi
  why="apt-get could not install $package"
fi

if [ "${CI:-}" = true ]; then
  echo "install-test-deps: no $program for the $tests ($why), and CI=true requires them." >&2
  echo "install-test-deps: install Debian's $package, or set $env_name to an installed $program." >&2
  exit 1
fi
# printf, not cat: a builtin, so the notice appears on any PATH.
printf '%s\n' '' \
  '################################################################################' \
  "##  $tests WILL BE SKIPPED: no $program found ($why)." \
  '##  Everything else runs. To run them too, either' \
  "##    $example" \
  "##    sudo apt-get install $package" \
  '##  With CI=true a missing program fails the run instead.' \
  '################################################################################' '' >&2
