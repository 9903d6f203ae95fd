#!/usr/bin/env bash
# Installs what is missing, builds everything, and runs every test: once in a normal build, then
# the libFuzzer targets for a short while, then every test again under AddressSanitizer and
# UndefinedBehaviorSanitizer. `--quick` skips the fuzzers and the second pass.
set -euo pipefail
cd "$(dirname "$0")/.."

quick=0
[ "${1:-}" = "--quick" ] && quick=1

scripts/install-deps.sh
# The push tests' Node.js peers (web-push, jose), from the committed lock file.
[ tests/peers/node_modules/.package-lock.json -nt tests/peers/package-lock.json ] ||
  npm ci --prefix tests/peers --no-audit --no-fund
jobs=$(nproc)

# Each step says when it starts, so that a slow run shows where its time went.
step() { echo "== $1 (at $((SECONDS / 60))m$((SECONDS % 60))s)"; }

step "format check"
scripts/check-format.sh

step "build and test (RelWithDebInfo)"
cmake -S . -B build/test -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DHERALD_BUILD_TESTS=ON -DHERALD_BUILD_BENCH=ON > /dev/null
cmake --build build/test -j "$jobs"
ctest --test-dir build/test --output-on-failure -j "$jobs"

[ "$quick" -eq 1 ] && { step "all tests passed"; exit 0; }

step "fuzz the network parsers (libFuzzer, 20 s each)"
cmake -S tests/fuzz -B build/fuzz -G Ninja -DCMAKE_CXX_COMPILER=clang++-14 > /dev/null
cmake --build build/fuzz -j "$jobs"
mkdir -p build/fuzz/corpus build/fuzz/logs
for fuzzer in build/fuzz/fuzz_*; do
  [ -f "$fuzzer" ] && [ -x "$fuzzer" ] || continue  # the targets, not what an earlier run left
  corpus="build/fuzz/corpus/$(basename "$fuzzer")"
  mkdir -p "$corpus"
  log="build/fuzz/logs/$(basename "$fuzzer").log"
  if ! "$fuzzer" -max_total_time=20 "$corpus" > "$log" 2>&1; then
    cat "$log"
    exit 1
  fi
  echo "$(basename "$fuzzer"): $(tail -1 "$log")"
done

step "build and test under AddressSanitizer + UndefinedBehaviorSanitizer"
cmake -S . -B build/sanitize -G Ninja -DCMAKE_BUILD_TYPE=Debug -DHERALD_SANITIZE=ON \
  -DHERALD_BUILD_TESTS=ON -DHERALD_BUILD_BENCH=OFF > /dev/null
cmake --build build/sanitize -j "$jobs"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
  ctest --test-dir build/sanitize --output-on-failure -j "$jobs"
step "all tests passed"
