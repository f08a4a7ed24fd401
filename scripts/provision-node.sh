#!/usr/bin/env bash
# Make sure node and npm are here for the npm tools of package.json (Redocly's linter, the
# TypeScript SDK, the Postman converter and newman): Debian's nodejs and npm, with apt-get, where
# either is missing. Their tests fail without them, and so does this when it cannot install them.
set -euo pipefail
SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"

if command -v node >/dev/null && command -v npm >/dev/null; then
    exit 0
fi
packages=()
command -v node >/dev/null || packages+=(nodejs)
command -v npm >/dev/null || packages+=(npm)
echo "provision: installing ${packages[*]} with apt-get"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${packages[@]}" >/dev/null
command -v node >/dev/null && command -v npm >/dev/null || {
    echo "provision: node and npm could not be installed: the OpenAPI lint, SDK and Postman tests would fail" >&2
    exit 1
}
