#!/usr/bin/env bash
# The scale benchmark in one command: set up the venv, generate the 1M and 5M order-item folders
# (reused when present), run every measurement and write the tables into docs/performance.md.
# Usage: bash benchmarks/run.sh [extra arguments for benchmarks/run.py, e.g. --repeat 3]
# Needs about 3 GB of free disk (benchmarks/data/, git-ignored), 8 GB of RAM for the pandas reference at
# 5M items, and 15-30 minutes on 2 cores.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export CI=1   # no progress bars inside the measurements
.venv/bin/python benchmarks/generate.py --items 1000000
.venv/bin/python benchmarks/generate.py --items 5000000
.venv/bin/python benchmarks/run.py --sizes 1000000 5000000 "$@"
