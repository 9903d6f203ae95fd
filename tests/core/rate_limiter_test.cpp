#include "core/rate_limiter.hpp"

#include <gtest/gtest.h>

#include "support/manual_clock.hpp"

namespace herald {
namespace {

TEST(RateLimiter, AllowsTheBurstThenAsksToWait) {
  test::ManualClock clock;
  RateLimiter limiter({3, 0.5}, clock);
  for (int i = 0; i < 3; ++i) {
    EXPECT_FALSE(limiter.retry_after("k"));
    limiter.spend("k");
  }
  auto wait = limiter.retry_after("k");
  ASSERT_TRUE(wait);
  EXPECT_EQ(*wait, 2);  // one token at 0.5 per second
  EXPECT_FALSE(limiter.retry_after("other"));
}

TEST(RateLimiter, RefillsOverTime) {
  test::ManualClock clock;
  RateLimiter limiter({1, 1.0}, clock);
  limiter.spend("k");
  EXPECT_TRUE(limiter.retry_after("k"));
  clock.advance_ms(1000);
  EXPECT_FALSE(limiter.retry_after("k"));
}

}  // namespace
}  // namespace herald
