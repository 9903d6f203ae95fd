// Keeps the WAL short without stalling commits. SQLite's automatic checkpoint runs inside the
// commit that crosses its threshold, which stalls that commit and every write grouped with it.
// Here the writer only signals, and this thread copies the WAL back into the database on its
// own connection (PASSIVE: it never blocks readers or the writer).
//
// A background pass alone cannot let the WAL start over under a steady stream of writes: the
// WAL restarts only when a write transaction begins with every frame copied, and the writer
// keeps adding frames while a pass runs (without this, sustained sends grew the WAL by gigabytes).
// So passes repeat, each written back and synced (the first gradually, since it writes most of a
// round's pages), until fewer than a few hundred frames were added during the last one, and then
// the writer, between two groups, copies the few it added meanwhile on its own connection; its
// next transaction starts the WAL over (unless a reader is still on an old snapshot: then the
// next round tries again).
//
// This thread is background work: its copies yield the core every few hundred microseconds and
// its I/O goes in the idle class, so that the threads sends wait for run first.
#pragma once

#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "store/sqlite/sqlite_connection.hpp"
#include "store/sqlite/sqlite_reader_pool.hpp"

namespace herald::sqlite {

class Checkpointer {
 public:
  // 128 MiB of 4 KiB pages. A checkpoint copies the newest frame of each page in the WAL, so a
  // longer WAL folds more rewrites of the same pages (counters, the newest leaves of an index)
  // into one copy, and the writer catches up less often. Against 16,000 pages: p99 of sends at
  // 2,000/s on a grown store 4.3-7.1 ms against 6.1-7.8 ms, 10,549-10,840 sends/s at full
  // speed against 9,261-9,713.
  static constexpr int kPagesBeforeCheckpoint = 32000;

  // Past this many frames added during a pass, another pass runs before the writer catches up.
  static constexpr int kCatchUpFrames = 128;
  static constexpr int kMaxPasses = 8;

  // `readers`, if given, is paused while the writer catches up (see catch_up).
  explicit Checkpointer(const std::string& path,
                        int pages_before_checkpoint = kPagesBeforeCheckpoint,
                        ReaderPool* readers = nullptr);
  ~Checkpointer();  // a last checkpoint, then stop
  Checkpointer(const Checkpointer&) = delete;
  Checkpointer& operator=(const Checkpointer&) = delete;

  // Writer thread, after each commit, with the WAL's size in pages; cheap, never blocks on I/O.
  void wal_grew(int pages);
  // Writer thread, between groups (no transaction open): once a background pass is done, copies
  // what the writer added since, on the writer's connection. Cheap when there is nothing to do.
  // The WAL can start over only once no reader is on a snapshot that needs it; under a steady
  // stream of reads there is always one, so new reads wait while this runs (a few milliseconds)
  // and only those already under way are waited for.
  void catch_up(Connection& writer);

  // Rounds (passes followed by a catch-up) run so far.
  int rounds() const noexcept { return rounds_.load(std::memory_order_relaxed); }

 private:
  enum State : int { idle, copying, catch_up_due };
  void loop();

  std::unique_ptr<Connection> connection_;
  // The database file, for write-back, open as long as this: closing a descriptor of a file
  // drops every POSIX lock the process holds on it, SQLite's included.
  const int database_fd_;
  ReaderPool* const readers_;
  const int pages_before_checkpoint_;
  std::atomic<int> state_{idle};
  std::atomic<int> wal_pages_{0};
  std::atomic<int> rounds_{0};
  std::mutex mutex_;
  std::condition_variable wake_;
  bool due_ = false;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace herald::sqlite
