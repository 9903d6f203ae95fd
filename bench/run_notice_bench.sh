#!/usr/bin/env bash
# Measures the notice bar: a notice with push and email to a group of 10,000 users, each with an
# email address and a Web Push device, accepted (notice, bell items and 20,000 delivery rows
# durable) - the time from request to 201, one notice at a time. The SMTP relay and the push
# endpoints are a listener that never answers, so the outbox workers wait instead of competing
# for the two cores while the notices are written.
# Usage: bench/run_notice_bench.sh [--no-build]   (BENCH_BUILD_DIR, default build-bench)
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/herald-notice-bench.XXXXXX")
source "$repo/bench/bench_lib.sh"
trap bench_cleanup EXIT
trap 'exit 130' INT TERM

[ "${1:-}" != "--no-build" ] && bench_build herald http_load mailbox_generator
start_silent_listener

"$generator" --data "$work/data" --users 12000 --entries 0 --group-size 10000 \
  --push-endpoint "http://127.0.0.1:$hole/push" > /dev/null
start_herald "$work/data" --smtp "smtp://127.0.0.1:$hole" --mail-from bench@bench.invalid
admin=$(token_for admin)

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
