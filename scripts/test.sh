#!/usr/bin/env bash
# One command on a fresh machine: set up (venv, test dependencies, Debian's chromium for the browser
# tests) and run the whole test suite. CI runs exactly this (.ci/run).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-browser.sh
bash scripts/setup.sh test
exec .venv/bin/python -m pytest "$@"
