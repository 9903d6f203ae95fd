// Process-wide counters and histograms, rendered in the Prometheus text format.
// Every method is thread-safe and lock-free on the hot path (relaxed atomics).
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <string>

namespace herald {

class Histogram {
 public:
  // Upper bounds in seconds, as Prometheus "le" labels.
  static constexpr std::array<double, 12> kBounds = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                                     0.05,   0.1,   0.25,   0.5,   1.0,  5.0};
  void observe(double seconds) noexcept;
  void render(std::string& out, const char* name, const char* help) const;

 private:
  std::array<std::atomic<std::uint64_t>, kBounds.size() + 1> buckets_{};
  std::atomic<std::uint64_t> count_{0};
  std::atomic<std::uint64_t> sum_micros_{0};
};

struct Metrics {
  // HTTP, by status class 1xx..5xx (index 1..5).
  std::array<std::atomic<std::uint64_t>, 6> http_responses{};
  std::atomic<std::int64_t> http_connections_open{0};
  std::atomic<std::uint64_t> http_connections_total{0};
  Histogram http_request_seconds;

  // Store writer.
  std::atomic<std::uint64_t> store_commits{0};
  std::atomic<std::uint64_t> store_writes{0};
  std::atomic<std::uint64_t> store_write_failures{0};
  Histogram store_commit_seconds;
  Histogram store_sync_seconds;      // one fdatasync of the WAL, for the commits since the last
  Histogram store_catch_up_seconds;  // the writer held back while the WAL starts over

  // Auth.
  std::atomic<std::uint64_t> logins_succeeded{0};
  std::atomic<std::uint64_t> logins_failed{0};
  std::atomic<std::uint64_t> logins_throttled{0};

  // Live sessions.
  std::atomic<std::int64_t> live_sessions_open{0};  // WebSocket and SSE, before and after auth
  std::atomic<std::uint64_t> live_sessions_total{0};
  std::atomic<std::uint64_t> live_events_published{0};
  std::atomic<std::uint64_t> live_frames_delivered{0};
  std::atomic<std::uint64_t> live_slow_consumers{0};
  std::atomic<std::uint64_t> live_rate_limited{0};
  std::atomic<std::uint64_t> live_idle_timeouts{0};

  std::string render_prometheus() const;
};

Metrics& metrics() noexcept;

}  // namespace herald
