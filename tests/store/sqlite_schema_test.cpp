// Migrations carry a store as an older herald left it to the newest schema, its data intact.
#include "store/sqlite/sqlite_schema.hpp"

#include <filesystem>
#include <string>

#include <gtest/gtest.h>

#include "store/sqlite/sqlite_connection.hpp"
#include "store/store.hpp"
#include "support/herald_process.hpp"

namespace herald::sqlite {
namespace {

const Query kInsertUser{
    "INSERT INTO users (id, username, display_name, role, password_hash, created_at)"
    " VALUES (?, ?, ?, 'user', '', 1)"};
const Query kInsertUserCounters{
    "INSERT INTO user_counters (user_id, notifications_unread) VALUES (?, ?)"};
const Query kInsertBellItem{
    "INSERT INTO notifications (id, user_id, kind, title, text, is_read, created_at)"
    " VALUES (?, ?, 'notice', 'Title', 'Text', ?, 1)"};

// Version 7 moved the bell counts from user_counters into folder_counters' 'bell' row.
TEST(SqliteSchema, BellCountsSurviveTheMoveIntoFolderCounters) {
  test::TempDir dir;
  std::string path = (dir.path() / "herald.db").string();
  {
    Connection old(path, Connection::Mode::writer);
    migrate(old, 6);
    old.prepare(kInsertUser)->bind(1, Id{1}).bind(2, "ada").bind(3, "Ada").run();
    old.prepare(kInsertUser)->bind(1, Id{2}).bind(2, "bo").bind(3, "Bo").run();
    old.prepare(kInsertUserCounters)->bind(1, Id{1}).bind(2, std::int64_t{2}).run();
    old.prepare(kInsertUserCounters)->bind(1, Id{2}).bind(2, std::int64_t{0}).run();
    old.prepare(kInsertBellItem)->bind(1, Id{10}).bind(2, Id{1}).bind(3, std::int64_t{0}).run();
    old.prepare(kInsertBellItem)->bind(1, Id{11}).bind(2, Id{1}).bind(3, std::int64_t{1}).run();
    old.prepare(kInsertBellItem)->bind(1, Id{12}).bind(2, Id{1}).bind(3, std::int64_t{0}).run();
  }
  auto store = open_store({"", dir.path().string(), 2});
  EXPECT_EQ(store->unread_notifications(1), 2);
  EXPECT_EQ(store->unread_notifications(2), 0);
  auto ada = store->find_user_with_counts(1);
  ASSERT_TRUE(ada);
  EXPECT_EQ(ada->second.notifications, 2);
  EXPECT_EQ(ada->second.inbox, 0);

  // The moved counts stay exact through the bell's own changes.
  ASSERT_TRUE(store->mark_notification_read(1, 10).ok());
  EXPECT_EQ(store->unread_notifications(1), 1);
  ASSERT_TRUE(store->delete_notification(1, 11).ok());  // a read one: the unread count stays
  EXPECT_EQ(store->unread_notifications(1), 1);
  ASSERT_TRUE(store->delete_notification(1, 12).ok());
  EXPECT_EQ(store->unread_notifications(1), 0);

  // The bell's row is not a folder.
  for (const auto& folder : store->folder_summaries(1)) {
    EXPECT_EQ(folder.total, 0);
    EXPECT_EQ(folder.unread, 0);
  }
}

}  // namespace
}  // namespace herald::sqlite
