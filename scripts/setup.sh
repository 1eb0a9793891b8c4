#!/usr/bin/env bash
# Creates .venv and installs sellerdx into it (with what the tests need when asked).
#
# Usage: bash scripts/setup.sh [test]          "test" installs the test dependencies too
#        PYTHON=python3.12 bash scripts/setup.sh
#
# sellerdx needs Python 3.11 or newer. The script checks the interpreter first (PYTHON, else the first of
# python3, python3.13, python3.12, python3.11 that is new enough) and says what to install if none is; a
# .venv made with an older (or a missing) Python is deleted and made again.
set -euo pipefail
cd "$(dirname "$0")/.."

REQUIRED="3.11"

# "3.12" for an interpreter, or nothing if it cannot be run.
version_of() {
  "$1" -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null | tail -n 1 || true
}

# Whether version $1 (e.g. 3.10) is at least REQUIRED.
new_enough() {
  local major="${1%%.*}" minor="${1#*.}"
  [[ "$major" =~ ^[0-9]+$ && "$minor" =~ ^[0-9]+$ ]] || return 1
  (( major > 3 || (major == 3 && minor >= ${REQUIRED#*.}) ))
}

explain() {
  cat >&2 <<MSG
error: sellerdx needs Python $REQUIRED or newer; $1.
  hint: install a newer Python, then run this script again (PYTHON names it if it is not python3):
    Ubuntu 22.04 / Debian:  sudo apt install python3.11 python3.11-venv
                            PYTHON=python3.11 bash scripts/setup.sh
    macOS (Homebrew):       brew install python@3.12
    Windows:                winget install Python.Python.3.12   (then see README, "Windows (PowerShell)")
    any system:             uv python install 3.12, or pyenv install 3.12
MSG
  exit 2
}

if [ -n "${PYTHON:-}" ]; then
  found="$(version_of "$PYTHON")"
  [ -n "$found" ] || explain "PYTHON=$PYTHON cannot be run"
  new_enough "$found" || explain "PYTHON=$PYTHON is Python $found"
else
  tried=""
  for candidate in python3 python3.13 python3.12 python3.11; do
    command -v "$candidate" >/dev/null 2>&1 || continue
    found="$(version_of "$candidate")"
    if [ -n "$found" ] && new_enough "$found"; then
      PYTHON="$candidate"
      break
    fi
    tried="${tried:+$tried, }$candidate is ${found:-not runnable}"
  done
  [ -n "${PYTHON:-}" ] || explain "found ${tried:-no python3 on PATH}"
fi

if [ -e .venv ]; then
  venv_version="$(version_of .venv/bin/python)"
  if [ -z "$venv_version" ] || ! new_enough "$venv_version"; then
    echo "recreating .venv: it was made with ${venv_version:+Python }${venv_version:-a Python that no longer runs}" >&2
    rm -rf .venv
  fi
fi
if [ ! -e .venv ]; then
  "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip >/dev/null
if [ "${1:-}" = "test" ]; then
  .venv/bin/python -m pip install --quiet --disable-pip-version-check -e ".[test]"
else
  .venv/bin/python -m pip install --quiet --disable-pip-version-check -e .
fi
echo "sellerdx installed in .venv ($(version_of .venv/bin/python)); run: .venv/bin/sellerdx --help" >&2
