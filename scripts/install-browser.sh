#!/usr/bin/env bash
# Install Debian's headless-capable Chromium (and CJK fonts) for the browser tests (pytest -m browser).
#
# Idempotent: when `chromium` is already on PATH it says so and exits 0 without touching apt.
# Needs root (or sudo without a password); otherwise it explains what to run and exits 0 so the caller's
# test run goes on — tests marked `browser` then skip with the reason "chromium is not installed".
set -euo pipefail

PACKAGES=(chromium fonts-noto-cjk)

if command -v chromium >/dev/null 2>&1; then
    echo "install-browser: chromium already installed ($(command -v chromium)); nothing to do"
    exit 0
fi

if [ "$(id -u)" -eq 0 ]; then
    SUDO=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    SUDO=(sudo -n)
else
    echo "install-browser: chromium is missing and this user cannot install packages;" >&2
    echo "install-browser: run as root: apt-get update && apt-get install -y ${PACKAGES[*]}" >&2
    echo "install-browser: browser tests will be skipped" >&2
    exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
    echo "install-browser: no apt-get here (not Debian/Ubuntu); install chromium yourself" >&2
    echo "install-browser: browser tests will be skipped" >&2
    exit 0
fi

echo "install-browser: installing ${PACKAGES[*]} with apt-get (about 30 s, ~480 MB)"
export DEBIAN_FRONTEND=noninteractive
"${SUDO[@]}" apt-get update -qq
"${SUDO[@]}" apt-get install -y -qq --no-install-recommends "${PACKAGES[@]}" >/dev/null
echo "install-browser: installed $(command -v chromium) ($(chromium --version 2>/dev/null || echo 'version unknown'))"
