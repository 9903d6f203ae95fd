#!/usr/bin/env bash
# Measures the notice bar: a notice with push and email to a group of 10,000 users, each with an
# email address and a Web Push device, accepted (notice, bell items and 20,000 delivery rows
# durable) - the time from request to 201, one notice at a time. The SMTP relay and the push
# endpoints are a listener that never answers, so the outbox workers wait instead of competing
# for the two cores while the notices are written.
# Usage: bench/run_notice_bench.sh [--no-build]   (BENCH_BUILD_DIR, default build-bench)
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build_dir=${BENCH_BUILD_DIR:-$repo/build-bench}
work=$(mktemp -d "${TMPDIR:-/tmp}/herald-notice-bench.XXXXXX")
server_pid=""
hole_pid=""
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2> /dev/null && wait "$server_pid" 2> /dev/null
  [ -n "$hole_pid" ] && kill "$hole_pid" 2> /dev/null
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if [ "${1:-}" != "--no-build" ]; then
  cmake -S "$repo" -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=Release -DHERALD_BUILD_TESTS=OFF \
    -DHERALD_BUILD_BENCH=ON > /dev/null
  cmake --build "$build_dir" --target herald http_load mailbox_generator > /dev/null
fi
herald=$build_dir/src/herald
load=$build_dir/bench/http_load
generator=$build_dir/bench/mailbox_generator

# A listener that accepts nothing: connections wait in its backlog until the senders time out.
/usr/bin/python3 -c '
import socket, sys, time
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(4096)
print(s.getsockname()[1], flush=True); time.sleep(86400)' > "$work/hole" &
hole_pid=$!
for _ in $(seq 100); do [ -s "$work/hole" ] && break; sleep 0.05; done
hole=$(cat "$work/hole")

"$generator" --data "$work/data" --users 12000 --entries 0 --group-size 10000 \
  --push-endpoint "http://127.0.0.1:$hole/push" > /dev/null
"$herald" serve --listen 127.0.0.1:0 --data "$work/data" --log-level warn \
  --smtp "smtp://127.0.0.1:$hole" --mail-from bench@bench.invalid > "$work/out" 2> "$work/err" &
server_pid=$!
for _ in $(seq 200); do
  port=$(grep -o 'listening on http://127.0.0.1:[0-9]*' "$work/out" | grep -o '[0-9]*$' || true)
  [ -n "$port" ] && break
  sleep 0.05
done
admin=$(curl -s "127.0.0.1:$port/api/v1/login" \
  -d '{"username":"admin","password":"bench-password"}' | jq -r .token)

body='{"to":["group:1"],"push":{"text":"Fire drill at noon","url":"https://school.example/d"},"email":{"subject":"Fire drill","body":"At **noon**, everyone outside."}}'
curl -s "127.0.0.1:$port/api/v1/notices" -H "Authorization: Bearer $admin" -d "$body" |
  jq -c '{recipient_count, summary}'
cpu_ticks() { awk '{print $14 + $15}' "/proc/$server_pid/stat"; }
before=$(cpu_ticks)
echo -n "notice to 10,000 users (push + email), one at a time: "
"$load" --port "$port" --method POST --path /api/v1/notices --token "$admin" --body "$body" \
  --connections 1 --requests 20 --seconds 120
echo "server CPU per notice: $(( ($(cpu_ticks) - before) * 1000 / $(getconf CLK_TCK) / 20 )) ms"
if [ -n "${BENCH_PERF:-}" ]; then  # BENCH_PERF=FILE: a CPU profile of five more notices
  perf record -e cpu-clock --call-graph dwarf,16384 -F 500 -p "$server_pid" -o "$BENCH_PERF" 2> /dev/null &
  perf_pid=$!
  sleep 1
  "$load" --port "$port" --method POST --path /api/v1/notices --token "$admin" --body "$body" \
    --connections 1 --requests 5 --seconds 60 > /dev/null
  kill -INT "$perf_pid"
  wait "$perf_pid" || true
fi
echo -n "delivery rows: "
/usr/bin/python3 -c "import sqlite3; print(sqlite3.connect('$work/data/herald.db').execute('SELECT COUNT(*) FROM deliveries').fetchone()[0])"
