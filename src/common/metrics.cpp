#include "common/metrics.hpp"

#include <fmt/format.h>

namespace herald {

void Histogram::observe(double seconds) noexcept {
  std::size_t i = 0;
  while (i < kBounds.size() && seconds > kBounds[i]) ++i;
  buckets_[i].fetch_add(1, std::memory_order_relaxed);
  count_.fetch_add(1, std::memory_order_relaxed);
  sum_micros_.fetch_add(static_cast<std::uint64_t>(seconds * 1e6), std::memory_order_relaxed);
}

void Histogram::render(std::string& out, const char* name, const char* help) const {
  fmt::format_to(std::back_inserter(out), "# HELP {} {}\n# TYPE {} histogram\n", name, help, name);
  std::uint64_t cumulative = 0;
  for (std::size_t i = 0; i < kBounds.size(); ++i) {
    cumulative += buckets_[i].load(std::memory_order_relaxed);
    fmt::format_to(std::back_inserter(out), "{}_bucket{{le=\"{}\"}} {}\n", name, kBounds[i],
                   cumulative);
  }
  cumulative += buckets_[kBounds.size()].load(std::memory_order_relaxed);
  fmt::format_to(std::back_inserter(out), "{}_bucket{{le=\"+Inf\"}} {}\n", name, cumulative);
  fmt::format_to(std::back_inserter(out), "{}_sum {}\n{}_count {}\n", name,
                 static_cast<double>(sum_micros_.load(std::memory_order_relaxed)) / 1e6, name,
                 count_.load(std::memory_order_relaxed));
}

namespace {

void counter(std::string& out, const char* name, const char* help, std::uint64_t value,
             const char* type = "counter") {
  fmt::format_to(std::back_inserter(out), "# HELP {} {}\n# TYPE {} {}\n{} {}\n", name, help, name,
                 type, name, value);
}

}  // namespace

std::string Metrics::render_prometheus() const {
  std::string out;
  out += "# HELP herald_http_responses_total HTTP responses sent, by status class.\n";
  out += "# TYPE herald_http_responses_total counter\n";
  for (int klass = 1; klass <= 5; ++klass) {
    fmt::format_to(std::back_inserter(out), "herald_http_responses_total{{code=\"{}xx\"}} {}\n",
                   klass, http_responses[klass].load(std::memory_order_relaxed));
  }
  counter(out, "herald_http_connections_open", "HTTP connections open now.",
          static_cast<std::uint64_t>(http_connections_open.load(std::memory_order_relaxed)),
          "gauge");
  counter(out, "herald_http_connections_total", "HTTP connections accepted.",
          http_connections_total.load(std::memory_order_relaxed));
  http_request_seconds.render(out, "herald_http_request_duration_seconds",
                              "Time from a complete request to its response being written.");
  counter(out, "herald_store_commits_total", "Store transactions committed (group commits).",
          store_commits.load(std::memory_order_relaxed));
  counter(out, "herald_store_writes_total", "Write operations carried by those commits.",
          store_writes.load(std::memory_order_relaxed));
  counter(out, "herald_store_write_failures_total", "Write operations that were rolled back.",
          store_write_failures.load(std::memory_order_relaxed));
  store_commit_seconds.render(out, "herald_store_commit_duration_seconds",
                              "Time to run and commit one group of writes, before its sync.");
  store_sync_seconds.render(out, "herald_store_sync_duration_seconds",
                            "Time to flush the WAL for the groups committed meanwhile.");
  store_catch_up_seconds.render(out, "herald_store_wal_catch_up_seconds",
                                "Time the writer spends copying the WAL's last frames so that "
                                "it can start over.");
  counter(out, "herald_logins_succeeded_total", "Successful logins.",
          logins_succeeded.load(std::memory_order_relaxed));
  counter(out, "herald_logins_failed_total", "Logins refused for bad credentials.",
          logins_failed.load(std::memory_order_relaxed));
  counter(out, "herald_logins_throttled_total", "Logins refused by the rate limiter.",
          logins_throttled.load(std::memory_order_relaxed));
  counter(out, "herald_live_sessions_open", "Live sessions (WebSocket and SSE) open now.",
          static_cast<std::uint64_t>(live_sessions_open.load(std::memory_order_relaxed)), "gauge");
  counter(out, "herald_live_sessions_total", "Live sessions opened.",
          live_sessions_total.load(std::memory_order_relaxed));
  counter(out, "herald_live_events_published_total", "Events published to live sessions.",
          live_events_published.load(std::memory_order_relaxed));
  counter(out, "herald_live_frames_delivered_total", "Event frames handed to live sessions.",
          live_frames_delivered.load(std::memory_order_relaxed));
  counter(out, "herald_live_slow_consumers_total", "Sessions dropped for not reading fast enough.",
          live_slow_consumers.load(std::memory_order_relaxed));
  counter(out, "herald_live_rate_limited_total", "Sessions closed for sending too many frames.",
          live_rate_limited.load(std::memory_order_relaxed));
  counter(out, "herald_live_idle_timeouts_total", "WebSocket sessions closed after going silent.",
          live_idle_timeouts.load(std::memory_order_relaxed));
  return out;
}

Metrics& metrics() noexcept {
  static Metrics instance;
  return instance;
}

}  // namespace herald
