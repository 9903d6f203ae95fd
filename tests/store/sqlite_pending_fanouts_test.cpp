#include "store/sqlite/sqlite_pending_fanouts.hpp"

#include <atomic>
#include <chrono>
#include <thread>

#include <gtest/gtest.h>

namespace herald::sqlite {
namespace {

using namespace std::chrono_literals;

TEST(PendingFanouts, KnowsWhoWaitsAndHowManyCopiesAreOwed) {
  PendingFanouts pending;
  EXPECT_TRUE(pending.empty());
  EXPECT_FALSE(pending.includes_user(2));
  pending.add(10, {2, 3, 5});
  pending.add(11, {5, 8});
  EXPECT_FALSE(pending.empty());
  EXPECT_TRUE(pending.includes_user(5));
  EXPECT_TRUE(pending.includes_user(8));
  EXPECT_FALSE(pending.includes_user(4));
  EXPECT_EQ(pending.copies(), 5u);
  pending.finish(10);
  EXPECT_FALSE(pending.includes_user(2));
  EXPECT_TRUE(pending.includes_user(5));
  EXPECT_EQ(pending.copies(), 2u);
  pending.finish(11);
  pending.finish(11);  // once more: no effect
  EXPECT_TRUE(pending.empty());
  EXPECT_EQ(pending.copies(), 0u);
}

TEST(PendingFanouts, AReaderWaitsOnlyForTheSendsThatIncludeThem) {
  PendingFanouts pending;
  pending.add(10, {2, 3});
  pending.await(4);  // not a recipient: returns at once

  std::atomic<bool> returned{false};
  std::thread reader([&] {
    pending.await(3);
    returned = true;
  });
  std::this_thread::sleep_for(50ms);
  EXPECT_FALSE(returned.load());  // still waiting for message 10's copies
  pending.finish(10);
  reader.join();
  EXPECT_TRUE(returned.load());
}

}  // namespace
}  // namespace herald::sqlite
