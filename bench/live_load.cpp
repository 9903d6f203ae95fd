// live_load: opens many live sessions (herald's WebSocket, or MQTT subscribers of a broker) and
// measures how long one message takes to reach all of them, and what idle sessions cost the
// server in memory.
//
//   live_load --protocol websocket --port P --token T --sessions 10000 --rounds 7
//   live_load --protocol mqtt --port P --sessions 10000 --rounds 7
//   live_load ... --rounds 0 --server-pid PID   idle sessions: the server's RSS growth per session
//   live_load ... --control                     one round per line read on stdin (to interleave)
//
// A round records t0, sends one message (herald: POST /api/v1/sessions/alert on a new HTTP
// connection; MQTT: a QoS 0 PUBLISH from a publisher connection) whose text names the round, and
// stops the clock when the last session has received it: frames/s = sessions / that time. With
// --server-pid, each round also reports the server's CPU time.
#include <algorithm>
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "live_load_sessions.hpp"

namespace {

using namespace live_load;

long rss_kb(const std::string& status_file) {
  std::ifstream in(status_file);
  std::string line;
  while (std::getline(in, line)) {
    if (line.starts_with("VmRSS:")) return std::stol(line.substr(6));
  }
  return -1;
}

void print_round(const RoundResult& r, bool mqtt) {
  std::printf("round %ld: received %zu/%zu first %.2f ms p50 %.2f ms last %.2f ms frames/s %.0f",
              r.round, r.received, r.expected, r.first_ms, r.p50_ms, r.last_ms,
              r.last_ms > 0 ? 1000.0 * static_cast<double>(r.received) / r.last_ms : 0.0);
  if (!mqtt) {
    std::printf(" reply %.2f ms status %d delivered %ld", r.reply_ms, r.status, r.delivered);
  }
  std::printf(" client cpu %.1f ms wakeups %ld", r.client_cpu_ms, r.client_wakeups);
  if (r.server_cpu_ms >= 0) std::printf(" server cpu %.1f ms", r.server_cpu_ms);
  std::printf("%s\n", r.received < r.expected ? " INCOMPLETE" : "");
  std::fflush(stdout);
}

int usage() {
  std::fprintf(stderr,
               "usage: live_load --port P [--protocol websocket|mqtt] [--host 127.0.0.1]\n"
               "  [--token T] [--path /api/v1/live?client=live_load] [--topic herald/alerts]\n"
               "  [--sessions 1000] [--sources 4] [--concurrency 64] [--connect-rate 0]\n"
               "  [--rounds 7] [--control] [--server-pid PID] [--settle 1] [--pause 0.2]\n"
               "  [--timeout 10]\n");
  return 2;
}

bool parse(int argc, char** argv, Options& o) {
  for (int i = 1; i < argc; ++i) {
    std::string key = argv[i];
    if (key == "--control") {
      o.control = true;
      continue;
    }
    if (i + 1 >= argc) return false;
    std::string value = argv[++i];
    if (key == "--protocol" && (value == "mqtt" || value == "websocket"))
      o.mqtt = value == "mqtt";
    else if (key == "--host")
      o.host = value;
    else if (key == "--port")
      o.port = static_cast<unsigned short>(std::stoi(value));
    else if (key == "--token")
      o.token = value;
    else if (key == "--path")
      o.path = value;
    else if (key == "--topic")
      o.topic = value;
    else if (key == "--sessions")
      o.sessions = static_cast<std::uint32_t>(std::stoul(value));
    else if (key == "--sources")
      o.sources = static_cast<std::uint32_t>(std::stoul(value));
    else if (key == "--concurrency")
      o.concurrency = std::max(1u, static_cast<std::uint32_t>(std::stoul(value)));
    else if (key == "--connect-rate")
      o.connect_rate = std::stod(value);
    else if (key == "--rounds")
      o.rounds = std::stol(value);
    else if (key == "--server-pid")
      o.server_pid = std::stoi(value);
    else if (key == "--settle")
      o.settle = std::stod(value);
    else if (key == "--pause")
      o.pause = std::stod(value);
    else if (key == "--timeout")
      o.timeout = std::stod(value);
    else
      return false;
  }
  return o.port != 0;
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  try {
    if (!parse(argc, argv, o)) return usage();
  } catch (const std::exception&) {  // a number that does not parse
    return usage();
  }

  std::string server_status = "/proc/" + std::to_string(o.server_pid) + "/status";
  long rss_before = o.server_pid ? rss_kb(server_status) : 0;
  long client_before = rss_kb("/proc/self/status");
  SessionPool load(o);
  auto start = Clock::now();
  if (!load.connect_all()) {
    std::fprintf(stderr, "live_load: %s\n", load.fatal().c_str());
    return 1;
  }
  double connect_s = std::chrono::duration<double>(Clock::now() - start).count();
  std::printf("connected %zu sessions in %.2f s (%.0f/s)\n", load.open(), connect_s,
              static_cast<double>(load.open()) / connect_s);
  if (o.server_pid) {
    load.hold(o.settle);
    long rss_after = rss_kb(server_status);
    std::printf(
        "memory: server RSS %ld kB before, %ld kB with %zu idle sessions: %.0f bytes per session"
        " (client: %.0f bytes per session)\n",
        rss_before, rss_after, load.open(),
        1024.0 * static_cast<double>(rss_after - rss_before) / static_cast<double>(load.open()),
        1024.0 * static_cast<double>(rss_kb("/proc/self/status") - client_before) /
            static_cast<double>(load.open()));
  }
  std::fflush(stdout);

  std::vector<RoundResult> results;
  if (o.control) {
    std::printf("ready\n");
    std::fflush(stdout);
    for (long r = 1; load.wait_for_request(); ++r) {
      results.push_back(load.round(r));
      if (load.fatal().empty()) print_round(results.back(), o.mqtt);
    }
  } else {
    for (long r = 1; r <= o.rounds && load.fatal().empty(); ++r) {
      if (r > 1) load.hold(o.pause);
      results.push_back(load.round(r));
      if (load.fatal().empty()) print_round(results.back(), o.mqtt);
    }
  }
  if (!load.fatal().empty()) {
    std::fprintf(stderr, "live_load: %s\n", load.fatal().c_str());
    return 1;
  }
  bool complete = std::all_of(results.begin(), results.end(),
                              [](const RoundResult& r) { return r.received == r.expected; });
  if (!results.empty()) {
    std::vector<double> last;
    // An incomplete round counts as the whole timeout, a bound its real time is above.
    for (auto& r : results) last.push_back(r.received < r.expected ? 1000 * o.timeout : r.last_ms);
    std::sort(last.begin(), last.end());
    std::size_t k = last.size();
    double median = k % 2 ? last[k / 2] : (last[k / 2 - 1] + last[k / 2]) / 2;
    std::printf("median of %zu rounds: last %.2f ms, %.0f frames/s, %zu sessions%s\n", k, median,
                1000.0 * static_cast<double>(load.open()) / median, load.open(),
                complete ? "" : " (some rounds INCOMPLETE)");
  }
  if (load.lost() > 0) std::printf("sessions lost during the run: %zu\n", load.lost());
  return complete && load.lost() == 0 ? 0 : 1;
}
