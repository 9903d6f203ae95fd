#!/usr/bin/env bash
# Measures SmtpSender's throughput in one run: BENCH_MESSAGES emails (default 20,000) sent from
# 1..4 worker threads, each with its own sender and reused connection, to
#   1. a private Postfix instance on 127.0.0.1 that discards what it accepts (queue on tmpfs
#      unless BENCH_QUEUE_PARENT names another folder), needs root;
#   2. the tests' aiosmtpd sink in --discard mode (one Python process: its own ceiling shows).
# Usage: bench/run_smtp_bench.sh [--no-build]   (BENCH_BUILD_DIR, default build-bench;
#        BENCH_JOBS, build jobs, default all cores)
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build_dir=${BENCH_BUILD_DIR:-$repo/build-bench}
messages=${BENCH_MESSAGES:-20000}
queue_parent=${BENCH_QUEUE_PARENT:-/dev/shm}
work=$(mktemp -d "$queue_parent/herald-smtp-bench.XXXXXX")
sink_pid=""
postfix_started=0
cleanup() {
  if [ "$postfix_started" -eq 1 ]; then postfix -c "$work/etc" stop > /dev/null 2>&1 || true; fi
  if [ -n "$sink_pid" ]; then
    kill "$sink_pid" 2> /dev/null || true
    wait "$sink_pid" 2> /dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if [ "${1:-}" != "--no-build" ]; then
  "$repo/scripts/install-deps.sh"
  if [ "$(id -u)" -eq 0 ] && ! command -v postfix > /dev/null; then
    echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends postfix > /dev/null
  fi
  cmake -S "$repo" -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=Release -DHERALD_BUILD_TESTS=OFF \
    -DHERALD_BUILD_BENCH=ON > /dev/null
  cmake --build "$build_dir" --target smtp_load -j "${BENCH_JOBS:-$(nproc)}" > /dev/null
fi
load=$build_dir/bench/smtp_load
free_port() {
  /usr/bin/python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"

if [ "$(id -u)" -eq 0 ] && command -v postfix > /dev/null; then
  port=$(free_port)
  mkdir -p "$work/etc" "$work/spool" "$work/data"
  chmod 755 "$work"
  chown postfix:postfix "$work/data"
  cat > "$work/etc/main.cf" << MAIN
compatibility_level = 3.6
queue_directory = $work/spool
data_directory = $work/data
mail_owner = postfix
setgid_group = postdrop
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
myhostname = bench.herald.test
mydestination =
relay_domains =
local_recipient_maps =
mynetworks = 127.0.0.0/8
smtpd_relay_restrictions = permit_mynetworks, reject
default_transport = discard:bench
local_transport = discard:bench
alias_maps =
alias_database =
smtpd_peername_lookup = no
maillog_file = $work/maillog
maillog_file_prefixes = $work
MAIN
  # Debian's services, without chroot, with smtpd on our port.
  cat > "$work/etc/master.cf" << MASTER
127.0.0.1:$port inet n - n - - smtpd
pickup unix n - n 60 1 pickup
cleanup unix n - n - 0 cleanup
qmgr unix n - n 300 1 qmgr
rewrite unix - - n - - trivial-rewrite
bounce unix - - n - 0 bounce
defer unix - - n - 0 bounce
trace unix - - n - 0 bounce
verify unix - - n - 1 verify
proxymap unix - - n - - proxymap
showq unix n - n - - showq
error unix - - n - - error
retry unix - - n - - error
discard unix - - n - - discard
anvil unix - - n - 1 anvil
scache unix - - n - 1 scache
postlog unix-dgram n - n - 1 postlogd
MASTER
  postfix -c "$work/etc" start > /dev/null 2>&1 || { cat "$work/maillog" >&2; exit 1; }
  postfix_started=1
  for _ in $(seq 100); do
    (exec 3<> "/dev/tcp/127.0.0.1/$port") 2> /dev/null && break
    sleep 0.05
  done
  echo "== Postfix $(postconf -d -h mail_version) on 127.0.0.1:$port, discard transport, queue in $queue_parent"
  "$load" --url "smtp://127.0.0.1:$port" --messages "$messages" --threads 4
  echo "postfix accepted: $(grep -c 'status=sent' "$work/maillog" || true) messages discarded"
  postfix -c "$work/etc" stop > /dev/null 2>&1
  postfix_started=0
else
  echo "== Postfix skipped: needs root and the postfix package"
fi

echo "== aiosmtpd sink (tests/peers/smtp_sink.py --discard), one Python process"
mkdir -p "$work/sink"
/usr/bin/python3 "$repo/tests/peers/smtp_sink.py" --dir "$work/sink" --discard > "$work/sink.port" &
sink_pid=$!
for _ in $(seq 100); do
  [ -s "$work/sink.port" ] && break
  sleep 0.05
done
"$load" --url "smtp://127.0.0.1:$(head -1 "$work/sink.port")" --messages "$messages" --threads 4
