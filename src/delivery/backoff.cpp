#include "delivery/backoff.hpp"

#include <algorithm>

namespace herald::delivery {

std::optional<std::int64_t> BackoffPolicy::next_delay_ms(int attempts,
                                                         std::optional<std::int64_t> retry_after_ms,
                                                         std::mt19937_64& random) const {
  if (attempts >= max_attempts) return std::nullopt;
  int doublings = std::clamp(attempts - 1, 0, 40);
  std::int64_t delay = base_ms;
  for (int i = 0; i < doublings && delay < cap_ms; ++i) delay *= 2;
  delay = std::min(delay, cap_ms);
  std::uniform_int_distribution<std::int64_t> jitter(delay / 2, delay);
  std::int64_t wait = jitter(random);
  if (retry_after_ms) wait = std::max(wait, *retry_after_ms);
  return wait;
}

}  // namespace herald::delivery
