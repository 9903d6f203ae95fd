#!/usr/bin/env bash
# Measures the mail bars in one run, against a Release herald on stores made by mailbox_generator:
#   1. one-recipient sends at a fixed 2,000 messages/s on the fresh store (open-loop latency
#      p50/p99), then from 64 connections at full speed (messages/s, latency, the server's CPU
#      time and disk writes per send), then at 2,000/s again on the store the full-speed run grew;
#   2. sends to a group of 10,000 users: one at a time, each followed by a member's read (time
#      until durable, and until in every inbox), then back to back (time until durable);
#   3. on a store of 10 million mailbox entries: a folder page of 50 and GET /folders at a fixed
#      1,000 requests/s (p99), and at full speed.
# Usage: bench/run_mail_bench.sh [--no-build]   (BENCH_BUILD_DIR, default build-bench;
#        BENCH_ENTRIES, default 10000000)
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
entries=${BENCH_ENTRIES:-10000000}
work=$(mktemp -d "${TMPDIR:-/tmp}/herald-mail-bench.XXXXXX")
source "$repo/bench/bench_lib.sh"
trap bench_cleanup EXIT
trap 'exit 130' INT TERM

[ "${1:-}" != "--no-build" ] && bench_build herald http_load mailbox_generator

echo "== sends (store: 12,000 users, a group of 10,000)"
"$generator" --data "$work/small" --users 12000 --entries 0 --group-size 10000 > /dev/null
sync  # the generator writes without syncing: its pages go to disk now, not during the runs
start_herald "$work/small"
admin=$(token_for admin)
one='{"to":["user:{n}"],"subject":"Hello","body":"A short message."}'
send_one() {  # load flags...
  "$load" --port "$port" --method POST --path /api/v1/messages --token "$admin" --body "$one" \
    --range 2-1001 "$@"
}
cpu_ticks() { awk '{print $14 + $15}' "/proc/$server_pid/stat"; }
written() { awk '/^write_bytes/ {print $2}' "/proc/$server_pid/io"; }
metric() { curl -s "127.0.0.1:$port/metrics" | awk -v name="$1" '$1 == name {print $2}'; }
send_one --connections 32 --seconds 2 --rate 2000 > /dev/null  # warm-up
echo -n "one recipient, fixed 2,000/s, fresh store: "
send_one --connections 32 --seconds 10 --rate 2000
ticks=$(cpu_ticks) bytes=$(written) commits=$(metric herald_store_commits_total)
writes=$(metric herald_store_writes_total)
echo -n "one recipient, 64 connections, full speed:  "
out=$(send_one --connections 64 --seconds 10) && echo "$out"
sent=$(echo "$out" | sed -E 's/.* ok ([0-9]+) .*/\1/')
echo "  per send: server CPU $((($(cpu_ticks) - ticks) * 1000000 / $(getconf CLK_TCK) / sent)) us," \
  "disk writes $((($(written) - bytes) / sent / 1024)) KiB;" \
  "writes per group commit $(awk -v w=$(($(metric herald_store_writes_total) - writes)) \
    -v c=$(($(metric herald_store_commits_total) - commits)) 'BEGIN {printf "%.1f", w / c}')"
echo -n "one recipient, fixed 2,000/s, after that:  "
send_one --connections 32 --seconds 10 --rate 2000
echo -n "group of 10,000, each send then a read:    "
"$repo/bench/send_then_read.py" "$port" "$admin" "$(token_for user5000)" 1 10
echo -n "group of 10,000, one send at a time:       "
"$load" --port "$port" --method POST --path /api/v1/messages --token "$admin" \
  --body '{"to":["group:1"],"subject":"To everyone","body":"Hello all."}' --connections 1 \
  --requests 20 --seconds 120
curl -s "127.0.0.1:$port/metrics" | grep -E '^herald_store_(commits|writes)_total'
stop_herald

echo "== reads on a store of $entries mailbox entries (100,000 users)"
"$generator" --data "$work/large" --users 100000 --entries "$entries" --group-size 10000 | tail -1
sync
start_herald "$work/large"
reader=$(token_for user77)
curl -s "127.0.0.1:$port/api/v1/folders" -H "Authorization: Bearer $reader" | jq -c '.items[0]'
for rate in 1000 0; do
  label=$([ "$rate" = 0 ] && echo "full speed, 8 connections" || echo "fixed $rate/s")
  echo -n "folder page of 50, $label: "
  "$load" --port "$port" --path '/api/v1/folders/inbox/messages?limit=50' --token "$reader" \
    --connections 8 --seconds 10 --rate "$rate"
  echo -n "GET /folders, $label:      "
  "$load" --port "$port" --path /api/v1/folders --token "$reader" --connections 8 --seconds 10 \
    --rate "$rate"
done
stop_herald
