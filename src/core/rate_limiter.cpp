#include "core/rate_limiter.hpp"

#include <algorithm>
#include <cmath>

namespace herald {

double RateLimiter::refilled(const Bucket& bucket, TimeMs now) const {
  double seconds = static_cast<double>(std::max<TimeMs>(0, now - bucket.updated)) / 1000.0;
  return std::min(policy_.burst, bucket.tokens + seconds * policy_.refill_per_second);
}

std::optional<int> RateLimiter::retry_after(std::string_view key) {
  std::lock_guard lock(mutex_);
  auto it = buckets_.find(std::string(key));
  if (it == buckets_.end()) return std::nullopt;
  double tokens = refilled(it->second, clock_.now_ms());
  if (tokens >= 1.0) return std::nullopt;
  return std::max(1, static_cast<int>(std::ceil((1.0 - tokens) / policy_.refill_per_second)));
}

void RateLimiter::spend(std::string_view key) {
  std::lock_guard lock(mutex_);
  TimeMs now = clock_.now_ms();
  if (buckets_.size() > kSweepAbove) forget_full_buckets(now);
  auto [it, inserted] = buckets_.try_emplace(std::string(key), Bucket{policy_.burst, now});
  double tokens = refilled(it->second, now);
  it->second = Bucket{std::max(0.0, tokens - 1.0), now};
}

void RateLimiter::refund(std::string_view key) {
  std::lock_guard lock(mutex_);
  auto it = buckets_.find(std::string(key));
  if (it == buckets_.end()) return;
  TimeMs now = clock_.now_ms();
  it->second = Bucket{std::min(policy_.burst, refilled(it->second, now) + 1.0), now};
}

void RateLimiter::forget_full_buckets(TimeMs now) {
  std::erase_if(buckets_,
                [&](const auto& entry) { return refilled(entry.second, now) >= policy_.burst; });
}

}  // namespace herald
