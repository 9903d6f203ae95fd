# Shared by the bench scripts: building Release, a listener that never answers, and starting a
# herald on a data folder. Source it after setting `repo` and `work`; `bench_cleanup` stops
# what was started and removes `work`.

build_dir=${BENCH_BUILD_DIR:-$repo/build-bench}
herald=$build_dir/src/herald
load=$build_dir/bench/http_load
generator=$build_dir/bench/mailbox_generator
server_pid=""
hole_pid=""

bench_build() {  # targets...
  cmake -S "$repo" -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=Release -DHERALD_BUILD_TESTS=OFF \
    -DHERALD_BUILD_BENCH=ON > /dev/null
  cmake --build "$build_dir" --target "$@" > /dev/null
}

# A listener that accepts nothing: connections wait in its backlog until the senders time out,
# so the outbox workers wait instead of competing for the cores. Sets hole (its port).
start_silent_listener() {
  /usr/bin/python3 -c '
import socket, sys, time
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(4096)
print(s.getsockname()[1], flush=True); time.sleep(86400)' > "$work/hole" &
  hole_pid=$!
  for _ in $(seq 100); do [ -s "$work/hole" ] && break; sleep 0.05; done
  hole=$(cat "$work/hole")
}

start_herald() {  # data folder, more `serve` flags...; sets server_pid and port
  "$herald" serve --listen 127.0.0.1:0 --data "$1" --log-level warn "${@:2}" > "$work/out" \
    2> "$work/err" &
  server_pid=$!
  port=""
  for _ in $(seq 200); do
    port=$(grep -o 'listening on http://127.0.0.1:[0-9]*' "$work/out" | grep -o '[0-9]*$' || true)
    [ -n "$port" ] && break
    sleep 0.05
  done
}

stop_herald() {
  kill "$server_pid"
  wait "$server_pid" 2> /dev/null || true
  server_pid=""
}

token_for() {  # username (every generated user's password is bench-password)
  curl -s "127.0.0.1:$port/api/v1/login" -d "{\"username\":\"$1\",\"password\":\"bench-password\"}" |
    jq -r .token
}

bench_cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2> /dev/null && wait "$server_pid" 2> /dev/null
  [ -n "$hole_pid" ] && kill "$hole_pid" 2> /dev/null
  rm -rf "$work"
}
