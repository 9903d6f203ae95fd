// The page cache wrapper skips only the truncations that cannot drop a page: commits that
// split B-tree pages stop paying for a walk of the whole cache, and every truncation that
// has pages to drop (a rollback, a shrinking database) still drops them.
#include "store/sqlite/sqlite_page_cache.hpp"

#include <cstdint>
#include <string>

#include <gtest/gtest.h>

#include "store/items_table.hpp"
#include "store/sqlite/sqlite_connection.hpp"
#include "support/herald_process.hpp"

namespace herald::sqlite {
namespace {

using items_table::kCountItems;

// Keys and values spread over the whole B-tree, as sends to many users are.
class Scattered {
 public:
  std::int64_t next() {
    state_ = state_ * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<std::int64_t>(state_ >> 20);
  }

 private:
  std::uint64_t state_ = 42;
};

class SqlitePageCache : public ::testing::Test {
 protected:
  SqlitePageCache() : db_((dir_.path() / "cache.db").string(), Connection::Mode::writer) {
    items_table::create(db_);
  }

  void insert(int rows) {
    for (int i = 0; i < rows; ++i) {
      std::int64_t key = keys_.next();
      items_table::insert(db_, key, std::to_string(key) + std::string(80, 'v'));
    }
  }

  std::pair<std::int64_t, std::int64_t> rows_and_bytes() {
    return items_table::rows_and_bytes(db_);
  }
  std::string integrity() { return items_table::integrity(db_); }

  test::TempDir dir_;
  Connection db_;
  Scattered keys_;
};

TEST_F(SqlitePageCache, CommitsThatSplitPagesSkipTheTruncation) {
  insert(2000);  // a B-tree of many pages, so that the commits below split some of them
  auto before = page_cache_counts();
  for (int i = 0; i < 2000; ++i) {
    db_.exec("BEGIN IMMEDIATE");
    insert(1);
    db_.exec("COMMIT");
  }
  auto after = page_cache_counts();
  // Splits did renumber pages through the temporary number, and no commit walked the cache.
  EXPECT_GT(after.renumberings, before.renumberings);
  EXPECT_GE(after.truncations_skipped - before.truncations_skipped, 2000u);
  EXPECT_EQ(after.truncations_passed, before.truncations_passed);
  EXPECT_EQ(rows_and_bytes().first, 4000);
  EXPECT_EQ(integrity(), "ok");
}

TEST_F(SqlitePageCache, ARolledBackGrowthIsDroppedFromTheCache) {
  insert(500);
  auto kept = rows_and_bytes();
  auto before = page_cache_counts();
  db_.exec("BEGIN IMMEDIATE");
  insert(3000);  // new pages past the database's end, then rolled back
  db_.exec("ROLLBACK");
  EXPECT_GT(page_cache_counts().truncations_passed, before.truncations_passed);
  EXPECT_EQ(rows_and_bytes(), kept);

  // The same page numbers are allocated again, with other content.
  insert(3000);
  EXPECT_EQ(rows_and_bytes().first, 3500);
  EXPECT_EQ(integrity(), "ok");
}

TEST_F(SqlitePageCache, ASavepointRolledBackInsideATransactionLeavesTheRestIntact) {
  insert(500);
  db_.exec("BEGIN IMMEDIATE");
  insert(100);
  db_.exec("SAVEPOINT job");
  insert(2000);
  db_.exec("ROLLBACK TO job");
  db_.exec("RELEASE job");
  insert(100);
  db_.exec("COMMIT");
  EXPECT_EQ(rows_and_bytes().first, 700);
  EXPECT_EQ(integrity(), "ok");
}

TEST_F(SqlitePageCache, AShrunkDatabaseReadsAndGrowsCorrectly) {
  insert(5000);
  db_.exec("DELETE FROM items WHERE k % 10 <> 0");
  auto kept = rows_and_bytes();
  db_.exec("VACUUM");  // the file shrinks: pages past its new end leave the cache
  EXPECT_EQ(rows_and_bytes(), kept);
  insert(3000);
  EXPECT_EQ(rows_and_bytes().first, kept.first + 3000);
  EXPECT_EQ(integrity(), "ok");

  // A reader opened now sees the same.
  Connection reader((dir_.path() / "cache.db").string(), Connection::Mode::reader);
  auto stmt = reader.prepare(kCountItems);
  ASSERT_TRUE(stmt->step());
  EXPECT_EQ(stmt->column_int(0), kept.first + 3000);
}

}  // namespace
}  // namespace herald::sqlite
