#include "core/token_cache.hpp"

#include <gtest/gtest.h>

namespace herald {
namespace {

TEST(TokenCache, FindsWhatWasPutUntilItExpires) {
  TokenCache cache(1000);
  Sha256 hash = sha256("token");
  Principal principal{7, Role::sender, "sam", 10'000};
  cache.put(hash, principal, 0);
  auto found = cache.find(hash, 500);
  ASSERT_TRUE(found);
  EXPECT_EQ(found->user_id, 7);
  EXPECT_FALSE(cache.find(hash, 1000));  // the cache TTL is over
}

TEST(TokenCache, NeverOutlivesTheToken) {
  TokenCache cache(60'000);
  Sha256 hash = sha256("token");
  cache.put(hash, Principal{1, Role::user, "u", 100}, 0);
  EXPECT_TRUE(cache.find(hash, 99));
  EXPECT_FALSE(cache.find(hash, 100));
}

TEST(TokenCache, ForgetsOneTokenOrAllOfAUser) {
  TokenCache cache(60'000);
  Sha256 a = sha256("a"), b = sha256("b"), c = sha256("c");
  cache.put(a, Principal{1, Role::user, "one", 1'000'000}, 0);
  cache.put(b, Principal{1, Role::user, "one", 1'000'000}, 0);
  cache.put(c, Principal{2, Role::user, "two", 1'000'000}, 0);
  cache.erase(a);
  EXPECT_FALSE(cache.find(a, 1));
  cache.erase_user(1);
  EXPECT_FALSE(cache.find(b, 1));
  EXPECT_TRUE(cache.find(c, 1));
}

}  // namespace
}  // namespace herald
