#!/usr/bin/env bash
# Web Push per-notification cost, herald against npm web-push, one thread each, in one run:
# herald's build_web_push_request (payload, RFC 8291 encryption, headers, VAPID cached) from a
# Release push_bench, and web-push's generateRequestDetails on the same ~150-byte payload.
# Prints both rates and their ratio.
# Usage: bench/run_push_bench.sh [--no-build]   (BENCH_BUILD_DIR, default build-bench;
#        BENCH_SECONDS per measurement, default 3)
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build_dir=${BENCH_BUILD_DIR:-$repo/build-bench}
seconds=${BENCH_SECONDS:-3}

if [ ! -d "$repo/tests/peers/node_modules/web-push" ]; then
  npm ci --prefix "$repo/tests/peers" --no-audit --no-fund > /dev/null
fi
if [ "${1:-}" != "--no-build" ]; then
  cmake -S "$repo" -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=Release -DHERALD_BUILD_TESTS=OFF \
    -DHERALD_BUILD_BENCH=ON > /dev/null
  cmake --build "$build_dir" --target push_bench > /dev/null
fi

ours_json=$("$build_dir/bench/push_bench" --benchmark_min_time="$seconds" --benchmark_format=json \
  2> /dev/null)
theirs_json=$(node "$repo/bench/web_push_node_bench.mjs" "$seconds")

python3 - "$ours_json" "$theirs_json" <<'PY'
import json, sys
ours = {b["name"]: b for b in json.loads(sys.argv[1])["benchmarks"]}
theirs = json.loads(sys.argv[2])
request = ours["BM_WebPushRequest"]["items_per_second"]
encrypt = ours["BM_WebPushEncrypt"]["items_per_second"]
node_request = theirs["generate_request_details_per_s"]
node_encrypt = theirs["encrypt_per_s"]
print(f"payload: {int(ours['BM_WebPushRequest']['payload_bytes'])} bytes of JSON, one thread")
print(f"herald build_web_push_request:       {request:10,.0f} notifications/s")
print(f"web-push generateRequestDetails:     {node_request:10,.0f} notifications/s "
      f"(node {theirs['node']}; signs VAPID per call)")
print(f"ratio herald / web-push:             {request / node_request:10.1f}x")
print(f"encryption alone: herald {encrypt:,.0f}/s, web-push encrypt {node_encrypt:,.0f}/s, "
      f"ratio {encrypt / node_encrypt:.1f}x")
PY
