#include "store/sqlite/sqlite_checkpointer.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "store/sqlite/sqlite_reader_pool.hpp"
#include "store/sqlite/sqlite_writer.hpp"
#include "store/store.hpp"
#include "support/herald_process.hpp"

namespace herald::sqlite {
namespace {

const Query kInsert{"INSERT INTO t (k, v) VALUES (?, zeroblob(1500))"};
const Query kCount{"SELECT COUNT(*) FROM t"};

std::uintmax_t file_size_or_zero(const std::string& path) {
  std::error_code error;
  auto size = std::filesystem::file_size(path, error);
  return error ? 0 : size;
}

// Under a steady stream of commits, with a reader always busy, the WAL starts over again and again
// instead of growing: a background checkpoint alone never reaches its end while the writer keeps
// adding to it, and SQLite only starts a WAL over once every frame is copied.
TEST(Checkpointer, KeepsTheWalShortUnderSteadyWrites) {
  test::TempDir dir;
  std::string path = (dir.path() / "c.db").string();
  auto connection = std::make_unique<Connection>(path, Connection::Mode::writer);
  connection->exec("CREATE TABLE t (k INTEGER PRIMARY KEY, v BLOB NOT NULL)");
  constexpr int kThreshold = 64;  // pages
  ReaderPool readers(path, 2);
  Checkpointer checkpointer(path, kThreshold, &readers);
  // Frames appended in all (the WAL's size only grows between two restarts), and the most the
  // WAL ever held.
  std::int64_t appended = 0, last_size = 0, largest_frames = 0;
  std::function<void(int)> grew = [&](int pages) {
    appended += pages >= last_size ? pages - last_size : pages;
    last_size = pages;
    largest_frames = std::max<std::int64_t>(largest_frames, pages);
    checkpointer.wal_grew(pages);
  };
  connection->on_wal_commit(&grew);
  std::uintmax_t largest_wal = 0;
  {
    Writer writer(std::move(connection), [&](Connection& c) {
      checkpointer.catch_up(c);
      largest_wal = std::max(largest_wal, file_size_or_zero(path + "-wal"));
    });
    std::atomic<bool> writing{true};
    // Reads one after another, each several milliseconds long on a loaded machine: always one
    // under way, unless new reads wait while the writer catches up.
    std::thread reader([&] {
      while (writing.load()) readers.lease()->prepare(kCount)->step();
    });
    constexpr int kThreads = 4;
    constexpr int kCommitsEach = 600;
    std::vector<std::thread> writers;
    std::atomic<std::int64_t> next_key{0};
    for (int t = 0; t < kThreads; ++t) {
      writers.emplace_back([&] {
        for (int i = 0; i < kCommitsEach; ++i) {
          // Keys spread over the table, so that each commit dirties pages of its own.
          std::int64_t key = (next_key.fetch_add(1) * 7919) % 100000;
          ASSERT_TRUE(writer.run([key](Connection& c) {
            c.prepare(kInsert)->bind(1, key).run();
            return true;
          }));
        }
      });
    }
    for (auto& w : writers) w.join();
    writing = false;
    reader.join();
  }
  Connection check(path, Connection::Mode::reader);
  auto count = check.prepare(kCount);
  ASSERT_TRUE(count->step());
  EXPECT_EQ(count->column_int(0), 2400);
  EXPECT_GT(checkpointer.rounds(), 3);
  // 2,400 commits of a 1,500-byte row each write well over 2,400 frames; a WAL that starts
  // over holds a few rounds' worth of the threshold at most. How many rounds pass between two
  // restarts depends on how the threads are scheduled, so the bound is a share of what was
  // written: a WAL that never started over would hold it all.
  EXPECT_GT(appended, 2400);
  EXPECT_LT(largest_frames * 4, appended) << "the WAL grew instead of restarting";
  constexpr std::uintmax_t kFrameBytes = 4096 + 24;
  EXPECT_LE(largest_wal, static_cast<std::uintmax_t>(largest_frames + 1) * kFrameBytes + 32);
}

// While the writer catches up, new reads wait: a steady stream of reads, each beginning on a
// WAL not yet all copied, would otherwise keep it from ever starting over.
TEST(ReaderPool, NewReadsWaitWhilePausedAndThoseUnderWayGoOn) {
  test::TempDir dir;
  std::string path = (dir.path() / "p.db").string();
  Connection writer(path, Connection::Mode::writer);
  writer.exec("CREATE TABLE t (k INTEGER PRIMARY KEY, v BLOB NOT NULL)");
  ReaderPool readers(path, 2);
  auto under_way = readers.lease();
  std::atomic<bool> leased{false};
  std::thread later;
  {
    ReaderPool::Pause pause(readers);
    later = std::thread([&] {
      auto lease = readers.lease();
      leased = true;
    });
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    EXPECT_FALSE(leased.load());
    EXPECT_TRUE(under_way->prepare(kCount)->step());  // a lease taken before the pause goes on
  }
  later.join();
  EXPECT_TRUE(leased.load());
}

// Closing the store checkpoints the WAL into the database and removes it, reads included:
// the last read-write connection to close does it.
TEST(SqliteStoreClose, CopiesTheWalBackAndRemovesIt) {
  test::TempDir dir;
  auto store = open_store({"", dir.path().string(), 2});
  auto user = store->create_user({"wal", "Wal", std::nullopt, Role::user, ""});
  ASSERT_TRUE(user.ok());
  ASSERT_TRUE(store->find_user(user->id));  // a read, through the reader pool
  auto wal = dir.path() / "herald.db-wal";
  EXPECT_TRUE(std::filesystem::exists(wal));
  store.reset();
  EXPECT_FALSE(std::filesystem::exists(wal));
  EXPECT_TRUE(open_store({"", dir.path().string(), 2})->find_user(user->id));
}

}  // namespace
}  // namespace herald::sqlite
