#!/usr/bin/env bash
# Measures herald's live fan-out against the bars in docs/performance.md, in one run:
#   1. 19,000 idle WebSocket sessions: herald's RSS growth per session;
#   2. an alert to those 19,000 sessions, LIVE_ROUNDS times (time until the last has it);
#   3. an alert to 10,000 herald sessions and the same message published through Mosquitto to
#      10,000 MQTT subscribers, round after round, one of each in turn.
# It installs mosquitto if missing, builds herald and live_load (Release), starts a fresh herald
# and a private mosquitto on free loopback ports, prints a summary, and stops what it started.
#
# Usage: bench/run_live_bench.sh [--no-build]
# Tunable through the environment (defaults in brackets):
#   BENCH_BUILD_DIR [build-bench]  LIVE_SESSIONS [10000]  LIVE_MAX_SESSIONS [19000]
#   LIVE_ROUNDS [7]  LIVE_SOURCES [4]  LIVE_CONCURRENCY [64]
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build_dir=${BENCH_BUILD_DIR:-$repo/build-bench}
sessions=${LIVE_SESSIONS:-10000}
max_sessions=${LIVE_MAX_SESSIONS:-19000}
rounds=${LIVE_ROUNDS:-7}
sources=${LIVE_SOURCES:-4}
concurrency=${LIVE_CONCURRENCY:-64}
admin_password=bench-admin-password

build=1
for arg in "$@"; do
  case $arg in
    --no-build) build=0 ;;
    -h | --help)
      sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'
      exit 0
      ;;
    *)
      echo "unknown argument: $arg" >&2
      exit 2
      ;;
  esac
done

log() { printf '== %s\n' "$*" >&2; }
as_root() { if ((EUID == 0)); then "$@"; else sudo "$@"; fi; }

# /usr/sbin is not on every user's PATH.
mosquitto=$(command -v mosquitto || echo /usr/sbin/mosquitto)
if [[ ! -x $mosquitto ]]; then
  log "installing mosquitto"
  as_root apt-get install -y mosquitto > /dev/null ||
    { as_root apt-get update > /dev/null && as_root apt-get install -y mosquitto > /dev/null; }
  # The package sets up a system service; this benchmark runs its own broker, so stop that one
  # (where a service manager started it) and keep it from starting at boot.
  as_root systemctl stop mosquitto > /dev/null 2>&1 ||
    as_root service mosquitto stop > /dev/null 2>&1 || true
  as_root systemctl disable mosquitto > /dev/null 2>&1 || true
fi
[[ -x $mosquitto ]] || { echo "run_live_bench: mosquitto did not install" >&2; exit 1; }
for tool in curl jq cmake ninja; do
  command -v "$tool" > /dev/null || { echo "run_live_bench: needs $tool" >&2; exit 1; }
done

# Every session is a file descriptor in the client and in the server.
hard_limit=$(ulimit -Hn)
[[ $hard_limit == unlimited ]] && hard_limit=1048576  # the kernel's default nr_open
ulimit -n "$hard_limit"
if (($(ulimit -n) < max_sessions + 100)); then
  echo "run_live_bench: $max_sessions sessions need ulimit -n of at least $((max_sessions + 100))" >&2
  exit 1
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/herald-live-bench.XXXXXX")
pids=()
cleanup() {
  exec 3>&- 4>&- 5<&- 6<&-
  for pid in "${pids[@]}"; do
    kill "$pid" 2> /dev/null || true
  done
  for pid in "${pids[@]}"; do
    wait "$pid" 2> /dev/null || true
  done
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if ((build)); then
  log "building Release into $build_dir"
  cmake -S "$repo" -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=Release \
    -DHERALD_BUILD_TESTS=OFF -DHERALD_BUILD_BENCH=ON > "$work/cmake.log" ||
    { cat "$work/cmake.log" >&2; exit 1; }
  ninja -C "$build_dir" herald live_load >&2
fi
herald=$build_dir/src/herald
live_load=$build_dir/bench/live_load

log "starting herald"
mkdir "$work/data"
HERALD_ADMIN_PASSWORD=$admin_password "$herald" serve --listen 127.0.0.1:0 --data "$work/data" \
  --log-level warn > "$work/herald.out" 2> "$work/herald.err" &
herald_pid=$!
pids+=("$herald_pid")
herald_port=""
for _ in $(seq 300); do
  herald_port=$(sed -n 's#^herald: listening on http://[^:]*:\([0-9]*\)$#\1#p' "$work/herald.out")
  [[ -n $herald_port ]] && break
  kill -0 "$herald_pid" 2> /dev/null || break
  sleep 0.1
done
[[ -n $herald_port ]] || { echo "run_live_bench: herald did not start:" >&2; cat "$work/herald.err" >&2; exit 1; }
token=$(curl -sS --fail-with-body -X POST "http://127.0.0.1:$herald_port/api/v1/login" \
  -d "{\"username\":\"admin\",\"password\":\"$admin_password\"}" | jq -r .token)
[[ -n $token && $token != null ]] || { echo "run_live_bench: login failed" >&2; exit 1; }

log "starting mosquitto"
port_is_free() { ! (exec 5<> "/dev/tcp/127.0.0.1/$1") 2> /dev/null; }
mosquitto_pid=""
for _ in $(seq 20); do
  # Below the ephemeral range (32768 and up), so that no client socket can hold the port.
  mosquitto_port=$((20000 + RANDOM % 12000))
  port_is_free "$mosquitto_port" || continue
  # allow_duplicate_messages: the documented default, but 2.0's code defaults to false, which
  # compares each message's every recipient with all earlier ones (quadratic in subscribers).
  cat > "$work/mosquitto.conf" << EOF
listener $mosquitto_port 127.0.0.1
allow_anonymous true
max_connections -1
persistence false
set_tcp_nodelay true
allow_duplicate_messages true
log_dest stderr
log_type error
log_type warning
EOF
  "$mosquitto" -c "$work/mosquitto.conf" 2> "$work/mosquitto.err" &
  mosquitto_pid=$!
  for _ in $(seq 50); do
    port_is_free "$mosquitto_port" || break
    kill -0 "$mosquitto_pid" 2> /dev/null || break
    sleep 0.1
  done
  if kill -0 "$mosquitto_pid" 2> /dev/null && ! port_is_free "$mosquitto_port"; then
    pids+=("$mosquitto_pid")
    break
  fi
  kill "$mosquitto_pid" 2> /dev/null || true
  wait "$mosquitto_pid" 2> /dev/null || true
  mosquitto_pid=""
done
[[ -n $mosquitto_pid ]] || { echo "run_live_bench: mosquitto did not start:" >&2; cat "$work/mosquitto.err" >&2; exit 1; }

ws_args=(--port "$herald_port" --token "$token" --sources "$sources" --concurrency "$concurrency")
mqtt_args=(--protocol mqtt --port "$mosquitto_port" --sources "$sources" --concurrency "$concurrency")

# Waits until a server has closed the previous run's sessions (its descriptors stay below `max`).
wait_for_fds_below() {
  local pid=$1 max=$2
  for _ in $(seq 300); do
    (($(find "/proc/$pid/fd" -mindepth 1 | wc -l) < max)) && return 0
    sleep 0.1
  done
  echo "run_live_bench: process $pid still holds $(find "/proc/$pid/fd" -mindepth 1 | wc -l) descriptors" >&2
  return 1
}

# Copies lines of live_load's output from descriptor `fd` to $work/NAME.out until one starts
# with `prefix`. A blocking read: polling would start processes on the cores being measured.
await_line() {
  local fd=$1 name=$2 prefix=$3 line
  while IFS= read -r -u "$fd" line; do
    printf '%s\n' "$line" >> "$work/$name.out"
    [[ $line == "$prefix"* ]] && return 0
  done
  echo "run_live_bench: live_load stopped early:" >&2
  cat "$work/$name.out" "$work/$name.out.err" >&2
  return 1
}

log "$max_sessions idle herald sessions, then $rounds alerts to them"
"$live_load" "${ws_args[@]}" --sessions "$max_sessions" --rounds "$rounds" \
  --server-pid "$herald_pid" > "$work/ws-max.out" 2> "$work/ws-max.out.err" &
pids+=($!)
wait "${pids[-1]}" || { cat "$work/ws-max.out" "$work/ws-max.out.err" >&2; exit 1; }
unset 'pids[-1]'
cat "$work/ws-max.out" >&2

log "$sessions herald sessions and $sessions MQTT subscribers, $rounds rounds each, in turn"
wait_for_fds_below "$herald_pid" 1000
# Each live_load reads a line per round on one FIFO and answers on another.
mkfifo "$work/ws.in" "$work/ws.fifo" "$work/mqtt.in" "$work/mqtt.fifo"
"$live_load" "${ws_args[@]}" --sessions "$sessions" --control --server-pid "$herald_pid" \
  < "$work/ws.in" > "$work/ws.fifo" 2> "$work/ws.out.err" &
ws_pid=$!
pids+=("$ws_pid")
exec 3> "$work/ws.in" 5< "$work/ws.fifo"
await_line 5 ws ready
"$live_load" "${mqtt_args[@]}" --sessions "$sessions" --control --server-pid "$mosquitto_pid" \
  < "$work/mqtt.in" > "$work/mqtt.fifo" 2> "$work/mqtt.out.err" &
mqtt_pid=$!
pids+=("$mqtt_pid")
exec 4> "$work/mqtt.in" 6< "$work/mqtt.fifo"
await_line 6 mqtt ready
for ((r = 1; r <= rounds; r++)); do
  sleep 0.2
  echo >&3
  await_line 5 ws 'round '
  sleep 0.2
  echo >&4
  await_line 6 mqtt 'round '
done
exec 3>&- 4>&-
cat <&5 >> "$work/ws.out"
cat <&6 >> "$work/mqtt.out"
exec 5<&- 6<&-
wait "$ws_pid" || { cat "$work/ws.out.err" >&2; exit 1; }
wait "$mqtt_pid" || { cat "$work/mqtt.out.err" >&2; exit 1; }
pids=("$herald_pid" "$mosquitto_pid")
cat "$work/ws.out" "$work/mqtt.out" >&2

log "stopping herald and mosquitto"
for pid in "${pids[@]}"; do kill "$pid" 2> /dev/null || true; done
for pid in "${pids[@]}"; do wait "$pid" 2> /dev/null || true; done
pids=()

# From live_load's output: the median time to the last session, its frames/s, and the median
# CPU time per delivered frame, in microseconds, of the server or of the client.
median_ms() { awk '/^median of/ { print $6 }' "$work/$1.out"; }
median_rate() { awk '/^median of/ { print $8 }' "$work/$1.out"; }
cpu_per_frame_us() {
  awk -v who="$2" '/^round / { for (i = 1; i < NF; i++) if ($i == who && $(i + 1) == "cpu") {
         split($4, got, "/"); print 1000 * $(i + 2) / got[1] } }' "$work/$1.out" |
    sort -n | awk '{ v[NR] = $1 } END { printf "%.1f", NR ? v[int((NR + 1) / 2)] : 0 }'
}
verdict() { if awk "BEGIN { exit !($1) }"; then echo met; else echo MISSED; fi; }

ws_ms=$(median_ms ws)
ws_rate=$(median_rate ws)
mqtt_ms=$(median_ms mqtt)
mqtt_rate=$(median_rate mqtt)
max_ms=$(median_ms ws-max)
max_rate=$(median_rate ws-max)
min_rate=$(awk "BEGIN { print ($ws_rate < $max_rate) ? $ws_rate : $max_rate }")
per_session=$(awk '/^memory:/ { print $13 }' "$work/ws-max.out")
ratio=$(awk "BEGIN { printf \"%.1f\", $ws_rate / $mqtt_rate }")
million_gib=$(awk "BEGIN { printf \"%.1f\", ($per_session + 5 * 1024) * 1e6 / 2^30 }")
row() { printf '%-18s %8s %13s %10s %12s %12s\n' "$@"; }
bar() { printf '%-44s %-10s %-12s %s\n' "$@"; }

cat << EOF

========================== herald live fan-out ==========================
machine   $(nproc) cores, $(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo), kernel $(uname -r)
client    live_load, one thread on the same cores, $sources source addresses
          medians of $rounds rounds; herald and Mosquitto rounds taken in turn

$(row "" sessions "last session" frames/s "server CPU" "client CPU")
$(row "" "" "" "" "per frame" "per frame")
$(row herald "$sessions" "$ws_ms ms" "$ws_rate" "$(cpu_per_frame_us ws server) us" "$(cpu_per_frame_us ws client) us")
$(row "$("$mosquitto" -h | awk 'NR == 1 { print "mosquitto", $3 }')" "$sessions" "$mqtt_ms ms" "$mqtt_rate" "$(cpu_per_frame_us mqtt server) us" "$(cpu_per_frame_us mqtt client) us")
$(row herald "$max_sessions" "$max_ms ms" "$max_rate" "$(cpu_per_frame_us ws-max server) us" "$(cpu_per_frame_us ws-max client) us")
herald, $max_sessions idle sessions: server RSS growth $per_session bytes per session

$(bar bar target measured "")
$(bar "alert to $sessions sessions" "< 100 ms" "$ws_ms ms" "$(verdict "$ws_ms < 100")")
$(bar "alert to $max_sessions sessions" "< 200 ms" "$max_ms ms" "$(verdict "$max_ms < 200")")
$(bar "frames/s, the lower of the two" ">= 90000" "$min_rate" "$(verdict "$min_rate >= 90000")")
$(bar "frames/s against Mosquitto at $sessions" ">= 4x" "${ratio}x" "$(verdict "$ws_rate >= 4 * $mqtt_rate")")
$(bar "server RSS per idle session at $max_sessions" "< 2048 B" "$per_session B" "$(verdict "$per_session < 2048")")
projection to 1,000,000 sessions: ($per_session + ~5120 in the kernel) bytes each = $million_gib GiB
=========================================================================
EOF
