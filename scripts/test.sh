#!/usr/bin/env bash
# Installs what is missing, builds everything, and runs every test: once in a normal build, then
# again under AddressSanitizer and UndefinedBehaviorSanitizer. `--quick` skips the second pass.
set -euo pipefail
cd "$(dirname "$0")/.."

quick=0
[ "${1:-}" = "--quick" ] && quick=1

scripts/install-deps.sh
jobs=$(nproc)

echo "== format check"
scripts/check-format.sh

echo "== build and test (RelWithDebInfo)"
cmake -S . -B build/test -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DHERALD_BUILD_TESTS=ON -DHERALD_BUILD_BENCH=ON > /dev/null
cmake --build build/test -j "$jobs"
ctest --test-dir build/test --output-on-failure -j "$jobs"

if [ "$quick" -eq 0 ]; then
  echo "== build and test under AddressSanitizer + UndefinedBehaviorSanitizer"
  cmake -S . -B build/sanitize -G Ninja -DCMAKE_BUILD_TYPE=Debug -DHERALD_SANITIZE=ON \
    -DHERALD_BUILD_TESTS=ON -DHERALD_BUILD_BENCH=OFF > /dev/null
  cmake --build build/sanitize -j "$jobs"
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
    ctest --test-dir build/sanitize --output-on-failure -j "$jobs"
fi
