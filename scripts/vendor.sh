#!/usr/bin/env bash
# Vendor the browser libraries the PWA loads from npm (no bundler, no node_modules kept).
set -euo pipefail
cd "$(dirname "$0")/.."
JSQR_VERSION=1.4.0
command -v npm >/dev/null || scripts/apt-install.sh nodejs npm
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "jsqr@${JSQR_VERSION}" >/dev/null && tar xzf jsqr-*.tgz)
mkdir -p src/teamline/web/static/vendor
cp "$work/package/dist/jsQR.js" src/teamline/web/static/vendor/jsQR.js
echo "vendored jsQR ${JSQR_VERSION}"
