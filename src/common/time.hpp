// Wall-clock helpers: milliseconds since the Unix epoch and RFC 3339 formatting.
#pragma once

#include <cstdint>
#include <string>

namespace herald {

using TimeMs = std::int64_t;  // milliseconds since 1970-01-01T00:00:00Z

TimeMs system_now_ms() noexcept;

// "2026-11-23T13:39:36.123Z"
std::string format_rfc3339(TimeMs t);

// Source of the current time, so that tests can move it by hand.
class Clock {
 public:
  virtual ~Clock() = default;
  virtual TimeMs now_ms() const noexcept = 0;
};

class SystemClock final : public Clock {
 public:
  TimeMs now_ms() const noexcept override { return system_now_ms(); }
};

}  // namespace herald
