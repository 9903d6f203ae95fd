#!/usr/bin/env bash
# Installs what is missing, builds herald, and runs `herald serve` on the embedded SQLite store.
# Arguments are passed to `herald serve` (for example --demo or --listen 0.0.0.0:8080).
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh
cmake -S . -B build/release -G Ninja -DCMAKE_BUILD_TYPE=Release \
  -DHERALD_BUILD_TESTS=OFF -DHERALD_BUILD_BENCH=OFF > /dev/null
cmake --build build/release --target herald
exec build/release/src/herald serve "$@"
