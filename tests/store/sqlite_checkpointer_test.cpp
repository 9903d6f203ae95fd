#include "store/sqlite/sqlite_checkpointer.hpp"

#include <atomic>
#include <filesystem>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "store/sqlite/sqlite_writer.hpp"
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

// Under a steady stream of commits, with readers about, the WAL starts over again and again
// instead of growing: a background checkpoint alone never reaches its end while the writer keeps
// adding to it, and SQLite only starts a WAL over once every frame is copied.
TEST(Checkpointer, KeepsTheWalShortUnderSteadyWrites) {
  test::TempDir dir;
  std::string path = (dir.path() / "c.db").string();
  auto connection = std::make_unique<Connection>(path, Connection::Mode::writer);
  connection->exec("CREATE TABLE t (k INTEGER PRIMARY KEY, v BLOB NOT NULL)");
  constexpr int kThreshold = 64;  // pages
  Checkpointer checkpointer(path, kThreshold);
  std::function<void(int)> grew = [&](int pages) { checkpointer.wal_grew(pages); };
  connection->on_wal_commit(&grew);
  std::uintmax_t largest_wal = 0;
  {
    Writer writer(std::move(connection), [&](Connection& c) {
      checkpointer.catch_up(c);
      largest_wal = std::max(largest_wal, file_size_or_zero(path + "-wal"));
    });
    std::atomic<bool> writing{true};
    std::thread reader([&] {
      Connection c(path, Connection::Mode::reader);
      while (writing.load()) c.prepare(kCount)->step();
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
  // over stays within a few rounds' worth of the threshold.
  constexpr std::uintmax_t kFrameBytes = 4096 + 24;
  EXPECT_LT(largest_wal, 16 * kThreshold * kFrameBytes) << "the WAL grew instead of restarting";
}

}  // namespace
}  // namespace herald::sqlite
