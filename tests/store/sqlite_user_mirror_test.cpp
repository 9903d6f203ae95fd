#include "store/sqlite/sqlite_user_mirror.hpp"

#include <gtest/gtest.h>

namespace herald::sqlite {
namespace {

UserMirror::Value value(const std::string& name, std::int64_t inbox) {
  User user;
  user.id = 7;
  user.display_name = name;
  return {user, UnreadCounts{inbox, 0}};
}

TEST(UserMirror, KeepsWhatWasReadUntilAWriteDropsIt) {
  UserMirror mirror;
  EXPECT_FALSE(mirror.find(7));
  mirror.put(7, value("a", 1), mirror.generation(7));
  ASSERT_TRUE(mirror.find(7));
  EXPECT_EQ(mirror.find(7)->second.inbox, 1);
  mirror.invalidate(7);
  EXPECT_FALSE(mirror.find(7));
}

TEST(UserMirror, AReadOvertakenByAWriteIsNotStored) {
  UserMirror mirror;
  auto before = mirror.generation(7);        // a reader starts...
  mirror.invalidate(std::vector<Id>{7, 8});  // ...a write commits and drops the users...
  mirror.put(7, value("stale", 0), before);  // ...and the reader's old value must not stick
  EXPECT_FALSE(mirror.find(7));
  mirror.put(7, value("fresh", 1), mirror.generation(7));
  EXPECT_EQ(mirror.find(7)->first.display_name, "fresh");
}

}  // namespace
}  // namespace herald::sqlite
