// Token buckets keyed by a string (an account, an address): a burst, then a steady refill.
// Thread-safe. Memory stays bounded: buckets that have refilled completely are forgotten.
#pragma once

#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "common/time.hpp"

namespace herald {

class RateLimiter {
 public:
  struct Policy {
    double burst = 10;               // attempts allowed at once
    double refill_per_second = 0.1;  // attempts regained per second
  };

  RateLimiter(Policy policy, const Clock& clock) : policy_(policy), clock_(clock) {}

  // Seconds until one attempt is allowed again, or nothing when one is allowed now.
  std::optional<int> retry_after(std::string_view key);
  // Spends one attempt.
  void spend(std::string_view key);
  // Gives one attempt back (a login that turned out to be right).
  void refund(std::string_view key);

 private:
  struct Bucket {
    double tokens;
    TimeMs updated;
  };
  double refilled(const Bucket& bucket, TimeMs now) const;
  void forget_full_buckets(TimeMs now);

  static constexpr std::size_t kSweepAbove = 100000;

  Policy policy_;
  const Clock& clock_;
  std::mutex mutex_;
  std::unordered_map<std::string, Bucket> buckets_;
};

}  // namespace herald
