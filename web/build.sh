#!/usr/bin/env bash
# Builds the web UI into OUT_DIR: installs its npm packages from the lock file when they are
# missing or older than it, checks the types, and bundles with Vite.
set -euo pipefail
out=$(realpath -m "$1")
cd "$(dirname "$0")"
[ node_modules/.package-lock.json -nt package-lock.json ] || npm ci --no-audit --no-fund --loglevel=error
node_modules/.bin/tsc --noEmit
node_modules/.bin/vite build --logLevel warn --outDir "$out" --emptyOutDir
