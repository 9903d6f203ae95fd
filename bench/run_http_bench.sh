#!/usr/bin/env bash
# Builds herald in Release and measures it against the bars in docs/performance.md, in one run:
#   1. GET /api/v1/me on herald against the same load on bare_beast_server (rate ratio, p50, p99);
#   2. group membership writes (PUT/DELETE /api/v1/groups/{g}/members/{u}), with the average
#      group-commit size read from herald's /metrics;
#   3. the micro-benchmarks (Argon2id cost per hash, token hashing and cache lookups).
# It starts every process it needs on ephemeral ports and a fresh data folder, and stops them.
#
# Usage: bench/run_http_bench.sh [--no-build]
# Tunable through the environment (defaults in brackets):
#   BENCH_BUILD_DIR [build-bench]  BENCH_DURATION [10s]  BENCH_THREADS [1]
#   BENCH_CONNECTIONS [64]  BENCH_USERS [256]  BENCH_GROUPS [8]  BENCH_WARMUP [2s]
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build_dir=${BENCH_BUILD_DIR:-$repo/build-bench}
duration=${BENCH_DURATION:-10s}
wrk_threads=${BENCH_THREADS:-1}
connections=${BENCH_CONNECTIONS:-64}
user_count=${BENCH_USERS:-256}
group_count=${BENCH_GROUPS:-8}
warmup=${BENCH_WARMUP:-2s}
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

for tool in wrk curl jq cmake ninja; do
  command -v "$tool" > /dev/null || { echo "run_http_bench: needs $tool" >&2; exit 1; }
done

work=$(mktemp -d "${TMPDIR:-/tmp}/herald-bench.XXXXXX")
pids=()
cleanup() {
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

log() { printf '== %s\n' "$*" >&2; }

# Runs a command in the background and waits for it, so that a signal stops the script at once.
run_child() {
  "$@" &
  pids+=($!)
  wait "${pids[-1]}"
  unset 'pids[-1]'
}

if ((build)); then
  log "building Release into $build_dir"
  cmake -S "$repo" -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=Release \
    -DHERALD_BUILD_TESTS=OFF -DHERALD_BUILD_BENCH=ON > "$work/cmake.log" ||
    { cat "$work/cmake.log" >&2; exit 1; }
  ninja -C "$build_dir" herald bare_beast_server herald_micro_bench >&2
fi
herald=$build_dir/src/herald
bare=$build_dir/bench/bare_beast_server
micro=$build_dir/bench/herald_micro_bench

# Waits for a line of `file` matching the sed expression `pattern` and prints its capture.
wait_for_port() {
  local file=$1 pattern=$2 pid=$3 port=""
  for _ in $(seq 300); do
    port=$(sed -n "$pattern" "$file")
    if [[ -n $port ]]; then
      echo "$port"
      return 0
    fi
    kill -0 "$pid" 2> /dev/null || break
    sleep 0.1
  done
  echo "run_http_bench: the server did not start; its output:" >&2
  cat "$file" "$file.err" >&2 2> /dev/null || true
  return 1
}

log "starting herald and bare_beast_server"
mkdir "$work/data"
HERALD_ADMIN_PASSWORD=$admin_password "$herald" serve --listen 127.0.0.1:0 --data "$work/data" \
  --log-level warn > "$work/herald.out" 2> "$work/herald.out.err" &
herald_pid=$!
pids+=("$herald_pid")
herald_port=$(wait_for_port "$work/herald.out" 's#^herald: listening on http://[^:]*:\([0-9]*\)$#\1#p' "$herald_pid")
"$bare" 0 > "$work/bare.out" 2> "$work/bare.out.err" &
bare_pid=$!
pids+=("$bare_pid")
bare_port=$(wait_for_port "$work/bare.out" 's#^listening on \([0-9]*\)$#\1#p' "$bare_pid")
herald_url=http://127.0.0.1:$herald_port
bare_url=http://127.0.0.1:$bare_port

api() {  # api METHOD PATH [JSON]: prints the reply body; fails on an HTTP error
  curl -sS --fail-with-body -X "$1" "$herald_url$2" -H "Authorization: Bearer $token" \
    -H 'Content-Type: application/json' ${3:+-d "$3"}
}

token=$(curl -sS --fail-with-body -X POST "$herald_url/api/v1/login" \
  -d "{\"username\":\"admin\",\"password\":\"$admin_password\"}" | jq -r .token)
[[ -n $token && $token != null ]] || { echo "run_http_bench: login failed" >&2; exit 1; }

log "creating $user_count users and $group_count groups"
# One curl, one keep-alive connection, one request after the other.
{
  for ((i = 0; i < user_count; i++)); do
    ((i > 0)) && echo next
    printf 'url = "%s/api/v1/users"\n' "$herald_url"
    printf 'header = "Authorization: Bearer %s"\n' "$token"
    printf 'header = "Content-Type: application/json"\n'
    printf 'data = "{\\"username\\":\\"bench%d\\"}"\n' "$i"
    printf 'write-out = "\\n"\nfail-with-body\n'
  done
} > "$work/users.curl"
curl -sS --fail-with-body -K "$work/users.curl" | jq -r .id > "$work/user_ids"
for ((g = 0; g < group_count; g++)); do
  api POST /api/v1/groups "{\"name\":\"bench-group-$g\"}" | jq -r .id
done > "$work/group_ids"
[[ $(wc -l < "$work/user_ids") -eq $user_count ]] || { echo "run_http_bench: user creation failed" >&2; exit 1; }
# Pairs in user-major order, so that consecutive requests also touch different groups.
while read -r user; do
  while read -r group; do echo "$group $user"; done < "$work/group_ids"
done < "$work/user_ids" > "$work/pairs"
pair_count=$(wc -l < "$work/pairs")

me_status=$(curl -s -o /dev/null -w '%{http_code}' "$herald_url/api/v1/me" -H "Authorization: Bearer $token")
[[ $me_status == 200 ]] || { echo "run_http_bench: GET /me answered $me_status" >&2; exit 1; }

# CPU time (user + system) a process has used so far, in clock ticks.
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
ticks_per_second=$(getconf CLK_TCK)

# run_wrk NAME SERVER_PID URL [wrk args...]: runs wrk with --latency, keeps its output in
# $work/NAME.wrk and the server's CPU time per request, in microseconds, in $work/NAME.cpu.
run_wrk() {
  local name=$1 server_pid=$2 url=$3 ticks_before
  shift 3
  log "wrk $name: -t$wrk_threads -c$connections -d$duration $url"
  ticks_before=$(cpu_ticks "$server_pid")
  run_child wrk -t"$wrk_threads" -c"$connections" -d"$duration" --latency "$@" "$url" > "$work/$name.wrk"
  cat "$work/$name.wrk" >&2
  awk -v ticks="$(($(cpu_ticks "$server_pid") - ticks_before))" -v hz="$ticks_per_second" \
    '/ requests in / { printf "%.1f", 1e6 * ticks / hz / $1 }' "$work/$name.wrk" > "$work/$name.cpu"
}

warm() {  # warm URL [wrk args...]: a short unreported run (connections, caches, CPU clocks)
  local url=$1
  shift
  run_child wrk -t"$wrk_threads" -c"$connections" -d"$warmup" "$@" "$url" > /dev/null
}

# Requests per second, and a latency percentile in milliseconds, from wrk's output.
wrk_rate() { awk '/^Requests\/sec:/ { print $2 }' "$work/$1.wrk"; }
wrk_latency_ms() {
  awk -v p="$2%" '$1 == p {
    v = $2; unit = v; sub(/^[0-9.]+/, "", unit); sub(/[a-z]+$/, "", v)
    if (unit == "us") v /= 1000; else if (unit == "s") v *= 1000; else if (unit == "m") v *= 60000
    printf "%.2f", v }' "$work/$1.wrk"
}
wrk_errors() {
  awk '/Non-2xx or 3xx responses:/ { bad += $NF } /Socket errors:/ {
         for (i = 1; i <= NF; i++) if ($i ~ /^[0-9]+,?$/) { gsub(",", "", $i); bad += $i } }
       END { print bad + 0 }' "$work/$1.wrk"
}
metric() { curl -sS "$herald_url/metrics" | awk -v name="$1" '$1 == name { print $2 }'; }

auth_header="Authorization: Bearer $token"
warm "$bare_url/api/v1/me" -H "$auth_header"
run_wrk bare "$bare_pid" "$bare_url/api/v1/me" -H "$auth_header"
warm "$herald_url/api/v1/me" -H "$auth_header"
run_wrk me "$herald_pid" "$herald_url/api/v1/me" -H "$auth_header"

commits_before=$(metric herald_store_commits_total)
writes_before=$(metric herald_store_writes_total)
commit_seconds_before=$(metric herald_store_commit_duration_seconds_sum)
export HERALD_BENCH_TOKEN=$token HERALD_BENCH_PAIRS=$work/pairs HERALD_BENCH_THREADS=$wrk_threads
run_wrk membership "$herald_pid" "$herald_url" -s "$repo/bench/wrk/membership.lua"
commits=$(($(metric herald_store_commits_total) - commits_before))
writes=$(($(metric herald_store_writes_total) - writes_before))
commit_seconds=$(awk "BEGIN { print $(metric herald_store_commit_duration_seconds_sum) - $commit_seconds_before }")

log "stopping the servers"
for pid in "${pids[@]}"; do kill "$pid" 2> /dev/null || true; done
for pid in "${pids[@]}"; do wait "$pid" 2> /dev/null || true; done
pids=()

log "micro-benchmarks"
run_child "$micro" --benchmark_out="$work/micro.json" --benchmark_out_format=json >&2
argon2_ms=$(jq -r '.benchmarks[] | select(.name | startswith("BM_Argon2idHash")) | .real_time' "$work/micro.json")
verify_ms=$(jq -r '.benchmarks[] | select(.name | startswith("BM_Argon2idVerify")) | .real_time' "$work/micro.json")
auth_ns=$(jq -r '.benchmarks[] | select(.name == "BM_TokenHashAndLookup") | .real_time' "$work/micro.json")

bare_rate=$(wrk_rate bare)
me_rate=$(wrk_rate me)
write_rate=$(wrk_rate membership)
me_p99=$(wrk_latency_ms me 99)
me_errors=$(wrk_errors me)
write_errors=$(wrk_errors membership)
verdict() { if awk "BEGIN { exit !($1) }"; then echo met; else echo MISSED; fi; }

cat << EOF

==================== herald HTTP benchmark ====================
machine       $(nproc) cores, $(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo), kernel $(uname -r)
load          wrk -t$wrk_threads -c$connections -d$duration --latency (client on the same cores)
bare Beast    $(printf '%10.0f' "$bare_rate") req/s   p50 $(wrk_latency_ms bare 50) ms   p99 $(wrk_latency_ms bare 99) ms   errors $(wrk_errors bare)
GET /me       $(printf '%10.0f' "$me_rate") req/s   p50 $(wrk_latency_ms me 50) ms   p99 $me_p99 ms   errors $me_errors
  server CPU  $(cat "$work/bare.cpu") us per request bare, $(cat "$work/me.cpu") us per request herald
  ratio       herald/bare = $(awk "BEGIN { printf \"%.1f%%\", 100 * $me_rate / $bare_rate }")   bar >= 80% and p99 < 5 ms: $(verdict "$me_rate >= 0.8 * $bare_rate && $me_p99 < 5 && $me_errors == 0")
membership    $(printf '%10.0f' "$write_rate") writes/s   p50 $(wrk_latency_ms membership 50) ms   p99 $(wrk_latency_ms membership 99) ms   errors $write_errors
  server CPU  $(cat "$work/membership.cpu") us per write (all herald threads)
  commits     $commits commits for $writes writes = $(awk "BEGIN { printf \"%.1f\", $commits ? $writes / $commits : 0 }") writes per commit ($pair_count pairs)
  commit time $(awk "BEGIN { printf \"%.2f\", $commits ? 1000 * $commit_seconds / $commits : 0 }") ms per commit on average (running and committing; the WAL flush runs on its own thread)
  bar         >= 5000 writes/s: $(verdict "$write_rate >= 5000 && $write_errors == 0")
Argon2id      $(printf '%.1f' "$argon2_ms") ms per hash, $(printf '%.1f' "$verify_ms") ms per verify (interactive)
token check   $(printf '%.0f' "$auth_ns") ns (SHA-256 + cache hit)
===============================================================
EOF
