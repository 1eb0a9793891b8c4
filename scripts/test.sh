#!/usr/bin/env bash
# One command on a fresh machine: set up (venv, test dependencies, Debian's chromium for the browser
# tests), check the code (ruff: lint and import order; import-linter: the layer contracts of
# pyproject.toml) and run the whole test suite. CI runs exactly this (.ci/run).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-browser.sh
bash scripts/setup.sh test
echo "ruff: lint and import order"
.venv/bin/ruff check --no-cache .
echo "import-linter: layer contracts"
.venv/bin/lint-imports --no-cache | sed -n '/^Contracts/,$p'
exec .venv/bin/python -m pytest "$@"
