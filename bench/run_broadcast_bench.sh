#!/usr/bin/env bash
# Measures the broadcast bars on a store that already holds 10 million mailbox entries:
# - a broadcast to 100,000 users (each with an email address and a Web Push device) accepted,
#   durable: the time from request to 201, one at a time;
# - its retraction: the time from request to 204;
# - its read statistics (GET /broadcasts/{id}, counters and the first 50 recipients);
# - a recipient's inbox page, folder counts and GET /me with those broadcasts live;
# - the bytes a broadcast costs per recipient (its recipient row; the outbox rows apart), and
#   how long the fan-out takes to write its 200,000 delivery rows after the 201;
# - how long the clean-up after the retractions takes.
# The SMTP relay and the push endpoints are a listener that never answers, so the outbox
# workers wait instead of competing for the cores.
# Usage: bench/run_broadcast_bench.sh [--no-build] [--keep DIR]
#   (BENCH_BUILD_DIR, default build-bench; BENCH_USERS, default 100000; BENCH_ENTRIES, default
#   10000000; --keep DIR generates the store into DIR once and reuses it on later runs)
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
users=${BENCH_USERS:-100000}
entries=${BENCH_ENTRIES:-10000000}
work=$(mktemp -d "${TMPDIR:-/tmp}/herald-broadcast-bench.XXXXXX")
source "$repo/bench/bench_lib.sh"
trap bench_cleanup EXIT
trap 'exit 130' INT TERM

build=1
keep=""
while [ $# -gt 0 ]; do
  case "$1" in
    --no-build) build=0 ;;
    --keep) keep=$2; shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
  shift
done
[ "$build" -eq 1 ] && bench_build herald http_load mailbox_generator
start_silent_listener

# The generated store, kept between runs with --keep (a copy is measured, the original stays).
store=${keep:-$work/generated}
if [ ! -f "$store/herald.db" ]; then
  echo "generating $users users and $entries mailbox entries..."
  "$generator" --data "$store" --users "$users" --entries "$entries" --group-size "$users" \
    --push-endpoint "http://127.0.0.1:$hole/push" > /dev/null
fi
cp -r "$store" "$work/data"
db=$work/data/herald.db
# Bytes per recipient of each table and index a broadcast writes to, from SQLite's dbstat.
storage() {
  /usr/bin/python3 - "$db" << 'PY'
import sqlite3, sys
c = sqlite3.connect(f"file:{sys.argv[1]}?mode=ro", uri=True)
recipients = c.execute("SELECT COALESCE(SUM(recipients), 0) FROM broadcasts").fetchone()[0]
names = ("broadcast_recipients", "broadcasts", "deliveries", "deliveries_message", "deliveries_due")
sizes = dict(c.execute("SELECT name, SUM(pgsize) FROM dbstat WHERE name IN (%s) GROUP BY name"
                       % ",".join("?" * len(names)), names).fetchall())
print(f"{recipients} recipients in all: " + ", ".join(
    f"{name} {sizes.get(name, 0) / recipients:.1f}" for name in names) + " bytes per recipient")
PY
}

start_herald "$work/data" --smtp "smtp://127.0.0.1:$hole" --mail-from bench@bench.invalid
api=127.0.0.1:$port/api/v1
admin=$(token_for admin)
reader=$(token_for user2)
auth=(-H "Authorization: Bearer $admin")
body='{"to":["group:1"],"subject":"Snow day","body":"School is **closed** on Friday. Stay safe."}'
cpu_ticks() { awk '{print $14 + $15}' "/proc/$server_pid/stat"; }
ms() { awk "BEGIN { printf \"%.1f\", $1 * 1000 }"; }

# Waits until no broadcast owes delivery rows; prints how long that took.
fanout_done() {
  local start=$SECONDS
  until [ "$(curl -s "$api/broadcasts?limit=200" "${auth[@]}" |
    jq '[.items[] | select(.deliveries_pending)] | length')" = 0 ]; do sleep 0.2; done
  echo $((SECONDS - start))
}

echo "== send: a broadcast to the $users members of group:1, one at a time"
ids=()
for i in 1 2 3 4 5; do
  before_cpu=$(cpu_ticks)
  reply=$(curl -s -w '\n%{time_total}' "$api/broadcasts" "${auth[@]}" -d "$body")
  seconds=$(tail -1 <<< "$reply")
  json=$(head -1 <<< "$reply")
  ids+=("$(jq -r .id <<< "$json")")
  cpu=$(( ($(cpu_ticks) - before_cpu) * 1000 / $(getconf CLK_TCK) ))
  echo "broadcast $i: 201 in $(ms "$seconds") ms (server CPU $cpu ms, reply and the fan-out" \
    "of the one before included); recipients $(jq .recipient_count <<< "$json");" \
    "summary $(jq -c .summary <<< "$json")"
  if [ "$i" -eq 1 ]; then
    echo "  fan-out of its delivery rows: $(fanout_done) s after the 201"
  fi
done
fanout_done > /dev/null
echo "== storage"
storage

echo "== read statistics of one broadcast (counters and the first 50 recipients)"
"$load" --port "$port" --method GET --path "/api/v1/broadcasts/${ids[0]}?limit=50" \
  --token "$admin" --connections 1 --requests 500 --seconds 60
echo "== a recipient with ${#ids[@]} live broadcasts and ~$((entries / users)) mailbox entries"
echo -n "inbox page of 50: "
"$load" --port "$port" --method GET --path "/api/v1/folders/inbox/messages?limit=50" \
  --token "$reader" --connections 1 --requests 500 --seconds 60
echo -n "GET /folders: "
"$load" --port "$port" --method GET --path "/api/v1/folders" \
  --token "$reader" --connections 1 --requests 500 --seconds 60

echo "== retraction, one at a time"
for id in "${ids[@]}"; do
  seconds=$(curl -s -o /dev/null -w '%{time_total} %{http_code}' -X DELETE "$api/broadcasts/$id" "${auth[@]}")
  echo "retract $id: ${seconds#* } in $(ms "${seconds% *}") ms"
done
start=$SECONDS
until [ "$(/usr/bin/python3 -c "import sqlite3; print(sqlite3.connect('file:$db?mode=ro', uri=True).execute('SELECT COUNT(*) FROM broadcasts WHERE pending <> 0').fetchone()[0])")" = 0 ]; do
  sleep 0.2
done
echo "clean-up after the retractions (queued rows cancelled, recipient rows deleted): $((SECONDS - start)) s"
echo -n "delivery rows by status: "
/usr/bin/python3 -c "import sqlite3; print(dict(sqlite3.connect('file:$db?mode=ro', uri=True).execute('SELECT status, COUNT(*) FROM deliveries GROUP BY status').fetchall()))"
