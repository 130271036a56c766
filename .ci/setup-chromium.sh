#!/usr/bin/env bash
# Installs Debian's chromium (if missing) for the dashboard's end-to-end tests and benchmark, and exports
# CHROMIUM_PATH through .ci/env. Idempotent: safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

CHROMIUM=/usr/bin/chromium
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

if [ ! -x "$CHROMIUM" ]; then
  echo "setup-chromium: installing chromium" >&2
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >&2
fi
"$CHROMIUM" --version >&2

touch .ci/env
grep -qx "CHROMIUM_PATH=$CHROMIUM" .ci/env || echo "CHROMIUM_PATH=$CHROMIUM" >> .ci/env
