#!/usr/bin/env bash
# Checks the demo's ports, installs what the demo needs, builds when a source changed, and starts the simulator
# and Node-RED with the example flows. DEMO_PORT (Node-RED, default 1880), DEMO_SIM_PORT (simulator, default
# 8765) and DEMO_DIR (Node-RED user directory, default .demo) may be set; `--fresh` starts the demo over.
set -euo pipefail
cd "$(dirname "$0")/.."
node scripts/check-ports.js "DEMO_PORT=${DEMO_PORT:-1880}" "DEMO_SIM_PORT=${DEMO_SIM_PORT:-8765}"
bash scripts/install.sh --if-changed
exec node "${TUNEWIRE_BUILD_DIR:-dist}/scripts/demo.js" "$@"
