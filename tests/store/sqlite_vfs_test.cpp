// The store's VFS. The WAL's frames are gathered and written once per commit: fewer writes, and
// still every commit in the file when it returns, visible to other connections, and an error of
// the write is the commit's. A connection told to yield does so while it copies pages into the
// database, and only then.
#include "store/sqlite/sqlite_vfs.hpp"

#include <signal.h>
#include <sys/resource.h>

#include <cstdint>
#include <filesystem>
#include <string>

#include <gtest/gtest.h>

#include "store/items_table.hpp"
#include "store/sqlite/sqlite_connection.hpp"
#include "support/herald_process.hpp"

// Named, because test files are compiled together (unity build).
namespace herald::sqlite::vfs_test {
namespace {

namespace fs = std::filesystem;
using items_table::integrity;
using items_table::rows_and_bytes;

const Query kCheckpoint{"PRAGMA wal_checkpoint(PASSIVE)"};

class SqliteVfs : public ::testing::Test {
 protected:
  SqliteVfs() : db_(path().string(), Connection::Mode::writer) {
    // As the store's writer commits: without a sync, which would write the frames by itself.
    db_.exec("PRAGMA synchronous = NORMAL");
    items_table::create(db_);
  }

  fs::path path() const { return dir_.path() / "wal.db"; }

  // `rows` rows of about 300 bytes each, with keys spread so that each touches its own pages.
  void insert(int rows, int value_bytes = 300) {
    for (int i = 0; i < rows; ++i) {
      std::int64_t key = next_key_++ * 7919 % 1000003;
      items_table::insert(db_, key, std::string(value_bytes, 'a' + key % 26));
    }
  }

  test::TempDir dir_;
  Connection db_;
  std::int64_t next_key_ = 1;
};

TEST_F(SqliteVfs, ACommitOfManyFramesIsOneWrite) {
  insert(200);  // a B-tree of many pages
  auto before = vfs_counts();
  db_.exec("BEGIN IMMEDIATE");
  insert(20);  // about 20 leaves of the table and as many of the index
  db_.exec("COMMIT");
  auto after = vfs_counts();
  // SQLite wrote a header and a page for each frame; they reached the file in one call.
  EXPECT_GE(after.wal_writes - before.wal_writes, 40u);
  EXPECT_EQ(after.wal_flushes - before.wal_flushes, 1u);
}

TEST_F(SqliteVfs, EachCommitIsInTheFilesWhenItReturns) {
  insert(100);
  for (int commit = 0; commit < 20; ++commit) {
    db_.exec("BEGIN IMMEDIATE");
    insert(3);
    db_.exec("COMMIT");
  }
  auto committed = rows_and_bytes(db_);
  // The database and the WAL as the kernel holds them, as a process killed now leaves them: a
  // copy, opened on its own, recovers every commit from the WAL.
  fs::path copy = dir_.path() / "copy.db";
  fs::copy_file(path(), copy);
  fs::copy_file(path().string() + "-wal", copy.string() + "-wal");
  Connection recovered(copy.string(), Connection::Mode::writer);
  EXPECT_EQ(rows_and_bytes(recovered), committed);
  EXPECT_EQ(integrity(recovered), "ok");
}

TEST_F(SqliteVfs, AnotherConnectionSeesEveryCommitAtOnce) {
  Connection reader(path().string(), Connection::Mode::reader);
  for (int commit = 1; commit <= 50; ++commit) {
    db_.exec("BEGIN IMMEDIATE");
    insert(2);
    db_.exec("COMMIT");
    EXPECT_EQ(rows_and_bytes(reader).first, 2 * commit);
  }
  EXPECT_EQ(rows_and_bytes(reader), rows_and_bytes(db_));
}

TEST_F(SqliteVfs, ATransactionLargerThanTheCacheSpillsAndReadsBack) {
  // A small cache makes SQLite write frames mid-transaction and read them back before the
  // commit; the transaction also outgrows what is gathered before a write (4 MiB).
  db_.exec("PRAGMA cache_size = 20");
  auto before = vfs_counts();
  db_.exec("BEGIN IMMEDIATE");
  insert(3000, 2000);
  auto inside = rows_and_bytes(db_);
  db_.exec("COMMIT");
  EXPECT_EQ(inside.first, 3000);
  EXPECT_GT(vfs_counts().wal_flushes - before.wal_flushes, 2u);
  EXPECT_EQ(rows_and_bytes(db_), inside);
  EXPECT_EQ(integrity(db_), "ok");
  Connection reader(path().string(), Connection::Mode::reader);
  EXPECT_EQ(rows_and_bytes(reader), inside);
}

// Files limited, for the length of one commit, to the WAL's size plus a little: the commit needs
// more, so its one write fails (EFBIG) when the commit frame arrives.
class FileSizeLimit {
 public:
  explicit FileSizeLimit(std::uintmax_t bytes) {
    ::getrlimit(RLIMIT_FSIZE, &saved_);
    previous_signal_ = ::signal(SIGXFSZ, SIG_IGN);
    rlimit limited = saved_;
    limited.rlim_cur = static_cast<rlim_t>(bytes);
    ::setrlimit(RLIMIT_FSIZE, &limited);
  }
  ~FileSizeLimit() {
    ::setrlimit(RLIMIT_FSIZE, &saved_);
    ::signal(SIGXFSZ, previous_signal_);
  }
  FileSizeLimit(const FileSizeLimit&) = delete;
  FileSizeLimit& operator=(const FileSizeLimit&) = delete;

 private:
  rlimit saved_{};
  sighandler_t previous_signal_;
};

TEST_F(SqliteVfs, AWriteThatFailsFailsItsCommit) {
  insert(50);
  auto kept = rows_and_bytes(db_);
  std::uintmax_t wal_size = fs::file_size(path().string() + "-wal");
  auto before = vfs_counts();
  {
    FileSizeLimit limit(wal_size + 8192);
    db_.exec("BEGIN IMMEDIATE");
    insert(200);
    EXPECT_EQ(vfs_counts().wal_flushes, before.wal_flushes);  // gathered, not yet written
    EXPECT_THROW(db_.exec("COMMIT"), SqliteError);
    try {
      db_.exec("ROLLBACK");
    } catch (const SqliteError&) {
      // SQLite rolled back by itself
    }
  }
  EXPECT_EQ(rows_and_bytes(db_), kept);
  Connection reader(path().string(), Connection::Mode::reader);
  EXPECT_EQ(rows_and_bytes(reader), kept);
  // The store takes writes again.
  insert(10);
  EXPECT_EQ(rows_and_bytes(db_).first, kept.first + 10);
  EXPECT_EQ(integrity(db_), "ok");
}

TEST_F(SqliteVfs, ACheckpointOfAConnectionToldToYieldGivesWayEveryFewPages) {
  insert(400);
  Connection checkpointer(path().string(), Connection::Mode::writer);
  auto before = vfs_counts();
  checkpointer.prepare(kCheckpoint)->step();  // not told yet
  EXPECT_EQ(vfs_counts().yields, before.yields);

  insert(400);
  int pages = 8;
  checkpointer.file_control(kYieldEvery, &pages);
  std::int64_t copied = 0;
  {
    auto stmt = checkpointer.prepare(kCheckpoint);
    ASSERT_TRUE(stmt->step());
    copied = stmt->column_int(2);  // busy, log, checkpointed
  }
  // Each frame copied is a page written; some frames are older versions of the same page.
  EXPECT_GE(vfs_counts().yields - before.yields, 2u);
  EXPECT_LE(vfs_counts().yields - before.yields, static_cast<std::uint64_t>(copied) / 8);
  // The writer's own commits never yield.
  auto after_checkpoint = vfs_counts();
  insert(100);
  EXPECT_EQ(vfs_counts().yields, after_checkpoint.yields);
  EXPECT_EQ(integrity(checkpointer), "ok");
}

TEST_F(SqliteVfs, AFileControlItDoesNotKnowIsPassedOnAndRefused) {
  int value = 0;
  EXPECT_THROW(db_.file_control(0x48524cff, &value), SqliteError);
}

}  // namespace
}  // namespace herald::sqlite::vfs_test
