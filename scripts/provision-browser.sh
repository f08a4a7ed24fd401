#!/usr/bin/env bash
# Make sure Debian's Chromium is here for the browser test of Swagger UI (tests/contract/test_docs_ui.py).
# Playwright drives this binary: `playwright install`, which downloads browsers of its own, is never run.
# Where no Chromium can be installed, fail: that test would fail.
set -euo pipefail
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"

if [ -x "$CHROMIUM" ]; then
    exit 0
fi
if command -v apt-get >/dev/null; then
    echo "provision: installing chromium with apt-get"
    if $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null \
        && [ -x "$CHROMIUM" ]; then
        exit 0
    fi
fi
echo "provision: no Chromium at $CHROMIUM and none could be installed: the Swagger UI browser test would fail" >&2
exit 1
