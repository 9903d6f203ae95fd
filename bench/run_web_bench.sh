#!/usr/bin/env bash
# The web UI's bars: builds Release herald (with the UI embedded) and runs bench/web_bench.mjs in
# Debian's Chromium: first inbox screen, live mail delay, JavaScript size.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
source "$repo/bench/bench_lib.sh"
trap bench_cleanup EXIT

"$repo/scripts/install-deps.sh"
bench_build herald
echo "== web UI ($(nproc) cores, $(chromium --version 2>/dev/null || echo chromium))"
HERALD_BINARY=$herald node "$repo/bench/web_bench.mjs"
