// When a failed delivery is tried again: exponential backoff with jitter, never sooner than the
// peer asked (Retry-After), and a bounded number of attempts.
#pragma once

#include <cstdint>
#include <optional>
#include <random>

namespace herald::delivery {

struct BackoffPolicy {
  int max_attempts = 8;
  std::int64_t base_ms = 10'000;    // the first retry waits about this long
  std::int64_t cap_ms = 3'600'000;  // no wait is longer than this

  // The wait before the next attempt after `attempts` failed ones; nullopt: give up. The wait
  // is drawn from [d/2, d] where d = min(cap, base * 2^(attempts-1)), so many rows that failed
  // together do not come back together.
  std::optional<std::int64_t> next_delay_ms(int attempts,
                                            std::optional<std::int64_t> retry_after_ms,
                                            std::mt19937_64& random) const;
};

}  // namespace herald::delivery
