// http_load: a small HTTP/1.1 load generator for herald's benchmarks.
//
// Opens --connections keep-alive connections and sends one request at a time on each, either as
// fast as the server answers (--rate 0) or at a fixed total rate (open loop: latency is measured
// from when a request was due, so a slow server cannot hide its queueing). "{n}" in the path or
// body is replaced by a counter folded into --range LO-HI, to spread writes over many objects.
//
//   http_load --port 8080 --method POST --path /api/v1/messages --token T
//             --body '{"to":["user:{n}"],"subject":"s","body":"b"}' --range 2-1001
//             --connections 64 --seconds 10 [--rate 2000] [--latency-log FILE]
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;

struct Options {
  std::string host = "127.0.0.1";
  unsigned short port = 8080;
  std::string method = "GET";
  std::string path = "/healthz";
  std::string token;
  std::string body;
  long range_lo = 0, range_hi = 0;
  int connections = 64;
  double seconds = 10;
  double rate = 0;          // requests per second in total; 0: as fast as possible
  long max_requests = 0;    // stop after this many (0: no limit)
  std::string latency_log;  // if set, one line per request: due time and latency, both in ms
};

struct Totals {
  std::vector<double> latencies_ms;
  std::vector<double> due_ms;  // when each request was due (sent), from the start
  long ok = 0;
  long failed = 0;
  long first_failure_status = 0;
};

std::string substitute(const std::string& text, long n) {
  std::string out = text;
  for (auto at = out.find("{n}"); at != std::string::npos; at = out.find("{n}", at)) {
    out.replace(at, 3, std::to_string(n));
  }
  return out;
}

asio::awaitable<void> client(const Options& o, int index, Clock::time_point start,
                             Clock::time_point end, std::atomic<long>& counter, Totals& totals) {
  auto executor = co_await asio::this_coro::executor;
  beast::tcp_stream stream(executor);
  auto [ec] = co_await stream.async_connect(tcp::endpoint(asio::ip::make_address(o.host), o.port),
                                            asio::as_tuple(asio::use_awaitable));
  if (ec) {
    std::fprintf(stderr, "connect: %s\n", ec.message().c_str());
    co_return;
  }
  beast::flat_buffer buffer;
  asio::steady_timer timer(executor);
  // In fixed-rate mode each connection owns every connections-th slot of the schedule.
  auto interval = o.rate > 0 ? std::chrono::duration<double>(o.connections / o.rate)
                             : std::chrono::duration<double>(0);
  auto due = start + std::chrono::duration_cast<Clock::duration>(interval * index / o.connections);
  // Every connection begins at `start`, which the rate printed at the end is measured from.
  timer.expires_at(start);
  co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
  for (;;) {
    if (o.rate > 0) {
      if (due >= end) break;
      timer.expires_at(due);
      co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
    } else if (Clock::now() >= end) {
      break;
    }
    long n = counter.fetch_add(1);
    if (o.max_requests > 0 && n >= o.max_requests) break;
    long folded = o.range_hi > o.range_lo ? o.range_lo + n % (o.range_hi - o.range_lo + 1) : n;
    http::request<http::string_body> req{http::string_to_verb(o.method), substitute(o.path, folded),
                                         11};
    req.set(http::field::host, o.host);
    if (!o.token.empty()) req.set(http::field::authorization, "Bearer " + o.token);
    if (!o.body.empty()) {
      req.set(http::field::content_type, "application/json");
      req.body() = substitute(o.body, folded);
    }
    req.prepare_payload();
    auto sent_at = o.rate > 0 ? due : Clock::now();
    auto [write_error, written] =
        co_await http::async_write(stream, req, asio::as_tuple(asio::use_awaitable));
    http::response<http::string_body> res;
    auto [read_error, read] =
        co_await http::async_read(stream, buffer, res, asio::as_tuple(asio::use_awaitable));
    if (write_error || read_error) {
      ++totals.failed;
      co_return;
    }
    totals.latencies_ms.push_back(
        std::chrono::duration<double, std::milli>(Clock::now() - sent_at).count());
    totals.due_ms.push_back(std::chrono::duration<double, std::milli>(sent_at - start).count());
    if (res.result_int() >= 200 && res.result_int() < 300) {
      ++totals.ok;
    } else {
      if (totals.failed++ == 0) totals.first_failure_status = res.result_int();
    }
    if (o.rate > 0) due += std::chrono::duration_cast<Clock::duration>(interval);
  }
}

// Writes "due_ms latency_ms" per request, in order of due time, to see whether slow requests
// come in bursts (a stall) or alone.
void write_latency_log(const std::string& path, const std::vector<Totals>& totals) {
  std::vector<std::pair<double, double>> rows;
  for (const auto& t : totals) {
    for (std::size_t i = 0; i < t.due_ms.size(); ++i)
      rows.emplace_back(t.due_ms[i], t.latencies_ms[i]);
  }
  std::sort(rows.begin(), rows.end());
  std::FILE* out = std::fopen(path.c_str(), "w");
  if (!out) {
    std::perror(path.c_str());
    return;
  }
  for (const auto& [due, latency] : rows) std::fprintf(out, "%.3f %.3f\n", due, latency);
  std::fclose(out);
}

double percentile(std::vector<double>& sorted, double p) {
  if (sorted.empty()) return 0;
  std::size_t i = std::min(sorted.size() - 1, static_cast<std::size_t>(p * sorted.size()));
  return sorted[i];
}

int main(int argc, char** argv) {
  Options o;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string key = argv[i];
    std::string value = argv[i + 1];
    if (key == "--host")
      o.host = value;
    else if (key == "--port")
      o.port = static_cast<unsigned short>(std::stoi(value));
    else if (key == "--method")
      o.method = value;
    else if (key == "--path")
      o.path = value;
    else if (key == "--token")
      o.token = value;
    else if (key == "--body")
      o.body = value;
    else if (key == "--connections")
      o.connections = std::stoi(value);
    else if (key == "--seconds")
      o.seconds = std::stod(value);
    else if (key == "--rate")
      o.rate = std::stod(value);
    else if (key == "--latency-log")
      o.latency_log = value;
    else if (key == "--requests")
      o.max_requests = std::stol(value);
    else if (key == "--range") {
      auto dash = value.find('-');
      o.range_lo = std::stol(value.substr(0, dash));
      o.range_hi = std::stol(value.substr(dash + 1));
    } else {
      std::fprintf(stderr, "unknown option %s\n", key.c_str());
      return 2;
    }
  }
  asio::io_context ioc(1);
  std::atomic<long> counter{0};
  std::vector<Totals> totals(static_cast<std::size_t>(o.connections));
  auto start = Clock::now() + std::chrono::milliseconds(50);
  auto end =
      start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(o.seconds));
  for (int i = 0; i < o.connections; ++i) {
    asio::co_spawn(ioc, client(o, i, start, end, counter, totals[static_cast<std::size_t>(i)]),
                   asio::detached);
  }
  ioc.run();
  double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
  Totals all;
  for (auto& t : totals) {
    all.ok += t.ok;
    all.failed += t.failed;
    if (!all.first_failure_status) all.first_failure_status = t.first_failure_status;
    all.latencies_ms.insert(all.latencies_ms.end(), t.latencies_ms.begin(), t.latencies_ms.end());
  }
  if (!o.latency_log.empty()) write_latency_log(o.latency_log, totals);
  std::sort(all.latencies_ms.begin(), all.latencies_ms.end());
  std::printf(
      "requests %ld ok %ld failed %ld (first failure status %ld) in %.2f s: %.0f req/s | latency "
      "ms "
      "p50 %.3f p90 %.3f p99 %.3f max %.3f\n",
      all.ok + all.failed, all.ok, all.failed, all.first_failure_status, elapsed,
      static_cast<double>(all.ok) / elapsed, percentile(all.latencies_ms, 0.50),
      percentile(all.latencies_ms, 0.90), percentile(all.latencies_ms, 0.99),
      all.latencies_ms.empty() ? 0.0 : all.latencies_ms.back());
  return all.failed > 0 ? 1 : 0;
}
