#!/usr/bin/env bash
# Installs what the demo needs, builds, and starts the simulator and Node-RED with the example flows.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh
exec node dist/scripts/demo.js "$@"
