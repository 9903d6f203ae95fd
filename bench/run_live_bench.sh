#!/usr/bin/env bash
# Measures herald's live fan-out against the bars in docs/performance.md, in one run:
#   1. 19,000 idle WebSocket sessions: herald's RSS growth per session;
#   2. an alert to those 19,000 sessions, LIVE_ROUNDS times (time until the last has it);
#   3. an alert to 10,000 herald sessions and the same message published to 10,000 MQTT
#      subscribers of Mosquitto, once with its stock configuration and once tuned, round after
#      round: herald, stock, tuned in turn.
# It installs mosquitto if missing, builds herald and live_load (Release), starts a fresh herald
# and two private mosquitto brokers on free loopback ports, prints a summary, and stops what it
# started.
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
      sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'
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
# Per control-mode live_load: its pid and the descriptors the script writes to and reads from.
declare -A ctl_pid=() ctl_in=() ctl_out=()
cleanup() {
  local fd pid
  for fd in "${ctl_in[@]}" "${ctl_out[@]}"; do exec {fd}>&-; done
  for pid in "${pids[@]}"; do
    kill "$pid" 2> /dev/null || true
  done
  for pid in "${pids[@]}"; do
    wait "$pid" 2> /dev/null || true
  done
  rm -rf "$work"
}
forget_pid() {
  local keep=() pid
  for pid in "${pids[@]}"; do [[ $pid == "$1" ]] || keep+=("$pid"); done
  pids=("${keep[@]}")
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

port_is_free() { ! (exec 5<> "/dev/tcp/127.0.0.1/$1") 2> /dev/null; }
# Starts a private mosquitto named NAME on a free loopback port: the listener, the settings both
# brokers share, then the extra configuration lines given. Sets broker_pid and broker_port.
start_mosquitto() {
  local name=$1 port pid
  shift
  for _ in $(seq 20); do
    # Below the ephemeral range (32768 and up), so that no client socket can hold the port.
    port=$((20000 + RANDOM % 12000))
    port_is_free "$port" || continue
    printf '%s\n' "listener $port 127.0.0.1" "allow_anonymous true" "max_connections -1" \
      "persistence false" "$@" "log_dest stderr" "log_type error" "log_type warning" \
      > "$work/$name.conf"
    "$mosquitto" -c "$work/$name.conf" 2> "$work/$name.err" &
    pid=$!
    pids+=("$pid")
    for _ in $(seq 50); do
      port_is_free "$port" || break
      kill -0 "$pid" 2> /dev/null || break
      sleep 0.1
    done
    if kill -0 "$pid" 2> /dev/null && ! port_is_free "$port"; then
      broker_pid=$pid broker_port=$port
      return 0
    fi
    kill "$pid" 2> /dev/null || true
    wait "$pid" 2> /dev/null || true
    forget_pid "$pid"
  done
  echo "run_live_bench: mosquitto ($name) did not start:" >&2
  cat "$work/$name.err" >&2
  return 1
}

# Stock: Mosquitto as shipped, plus only what this test needs (a loopback listener, anonymous
# clients, no connection limit, no persistence).
log "starting mosquitto, stock configuration"
start_mosquitto mosquitto-stock
stock_pid=$broker_pid stock_port=$broker_port
# Tuned: allow_duplicate_messages is the documented default, but 2.0's code defaults to false,
# which compares each message's every recipient with all earlier ones (quadratic in subscribers).
log "starting mosquitto, tuned configuration"
start_mosquitto mosquitto-tuned "set_tcp_nodelay true" "allow_duplicate_messages true"
tuned_pid=$broker_pid tuned_port=$broker_port

ws_args=(--port "$herald_port" --token "$token" --sources "$sources" --concurrency "$concurrency")
mqtt_args=(--protocol mqtt --sources "$sources" --concurrency "$concurrency")

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

# Starts live_load NAME in control mode (one round per line it reads) on two FIFOs, and waits
# until its sessions are open.
start_control() {
  local name=$1 in out
  shift
  mkfifo "$work/$name.in" "$work/$name.fifo"
  # Without the earlier live_loads' descriptors: a copy of another's input would keep it from
  # ever reading the end of its input.
  (
    for fd in "${ctl_in[@]}" "${ctl_out[@]}"; do exec {fd}>&-; done
    exec "$live_load" "$@" --sessions "$sessions" --control
  ) < "$work/$name.in" > "$work/$name.fifo" 2> "$work/$name.out.err" &
  ctl_pid[$name]=$!
  pids+=("$!")
  exec {in}> "$work/$name.in" {out}< "$work/$name.fifo"
  ctl_in[$name]=$in ctl_out[$name]=$out
  await_line "$out" "$name" ready
}
# Ends live_load NAME's rounds (end of input), keeps the rest of its output (the medians) and
# waits for it to exit.
finish_control() {
  local name=$1 in=${ctl_in[$1]} out=${ctl_out[$1]} pid=${ctl_pid[$1]}
  exec {in}>&-
  unset "ctl_in[$name]"
  cat <&"$out" >> "$work/$name.out"
  exec {out}<&-
  unset "ctl_out[$name]"
  wait "$pid" || { cat "$work/$name.out.err" >&2; return 1; }
  forget_pid "$pid"
}

targets=(ws mqtt-stock mqtt-tuned)
log "$sessions sessions on each of herald, stock and tuned mosquitto, $rounds rounds each, in turn"
wait_for_fds_below "$herald_pid" 1000
start_control ws "${ws_args[@]}" --server-pid "$herald_pid"
start_control mqtt-stock "${mqtt_args[@]}" --port "$stock_port" --server-pid "$stock_pid"
start_control mqtt-tuned "${mqtt_args[@]}" --port "$tuned_port" --server-pid "$tuned_pid"
for ((r = 1; r <= rounds; r++)); do
  for target in "${targets[@]}"; do
    sleep 0.2
    echo >&"${ctl_in[$target]}"
    await_line "${ctl_out[$target]}" "$target" 'round '
  done
done
for target in "${targets[@]}"; do
  finish_control "$target"
  cat "$work/$target.out" >&2
done

log "stopping herald and both mosquitto brokers"
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
stock_rate=$(median_rate mqtt-stock)
tuned_rate=$(median_rate mqtt-tuned)
max_ms=$(median_ms ws-max)
max_rate=$(median_rate ws-max)
min_rate=$(awk "BEGIN { print ($ws_rate < $max_rate) ? $ws_rate : $max_rate }")
per_session=$(awk '/^memory:/ { print $13 }' "$work/ws-max.out")
stock_ratio=$(awk "BEGIN { printf \"%.1f\", $ws_rate / $stock_rate }")
tuned_ratio=$(awk "BEGIN { printf \"%.1f\", $ws_rate / $tuned_rate }")
million_gib=$(awk "BEGIN { printf \"%.1f\", ($per_session + 5 * 1024) * 1e6 / 2^30 }")
# mosquitto -h prints its version and exits with status 3.
version=$({ "$mosquitto" -h || true; } | awk 'NR == 1 { print $3 }')
row() { printf '%-24s %8s %13s %10s %12s %12s\n' "$@"; }
target_row() {
  row "$1" "$2" "$(median_ms "$3") ms" "$(median_rate "$3")" \
    "$(cpu_per_frame_us "$3" server) us" "$(cpu_per_frame_us "$3" client) us"
}
bar() { printf '%-46s %-10s %-12s %s\n' "$@"; }

cat << EOF

========================== herald live fan-out ==========================
machine   $(nproc) cores, $(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo), kernel $(uname -r)
client    live_load, one thread on the same cores, $sources source addresses
          medians of $rounds rounds; herald, stock and tuned Mosquitto rounds taken in turn
mosquitto stock: as shipped (listener, allow_anonymous, max_connections -1, persistence false)
          tuned: stock plus set_tcp_nodelay true, allow_duplicate_messages true

$(row "" sessions "last session" frames/s "server CPU" "client CPU")
$(row "" "" "" "" "per frame" "per frame")
$(target_row herald "$sessions" ws)
$(target_row "mosquitto $version stock" "$sessions" mqtt-stock)
$(target_row "mosquitto $version tuned" "$sessions" mqtt-tuned)
$(target_row herald "$max_sessions" ws-max)
herald, $max_sessions idle sessions: server RSS growth $per_session bytes per session
herald / mosquitto frames/s at $sessions: ${stock_ratio}x stock, ${tuned_ratio}x tuned

$(bar bar target measured "")
$(bar "alert to $sessions sessions" "< 100 ms" "$ws_ms ms" "$(verdict "$ws_ms < 100")")
$(bar "alert to $max_sessions sessions" "< 200 ms" "$max_ms ms" "$(verdict "$max_ms < 200")")
$(bar "frames/s, the lower of the two" ">= 90000" "$min_rate" "$(verdict "$min_rate >= 90000")")
$(bar "frames/s against stock Mosquitto at $sessions" ">= 4x" "${stock_ratio}x" "$(verdict "$ws_rate >= 4 * $stock_rate")")
$(bar "frames/s against tuned Mosquitto at $sessions" ">= 4x" "${tuned_ratio}x" "$(verdict "$ws_rate >= 4 * $tuned_rate")")
$(bar "server RSS per idle session at $max_sessions" "< 2048 B" "$per_session B" "$(verdict "$per_session < 2048")")
projection to 1,000,000 sessions: ($per_session + ~5120 in the kernel) bytes each = $million_gib GiB
=========================================================================
EOF
