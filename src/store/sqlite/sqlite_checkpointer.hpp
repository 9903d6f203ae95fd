// Moves WAL checkpoints off the writer: SQLite's automatic checkpoint runs inside the commit
// that crosses the threshold, which stalls that commit and every write grouped with it. Here the
// writer only signals, and this thread copies the WAL back into the database on its own
// connection (PASSIVE: it never blocks readers or the writer).
#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "store/sqlite/sqlite_connection.hpp"

namespace herald::sqlite {

class Checkpointer {
 public:
  // 64 MiB of 4 KiB pages. A checkpoint copies the newest frame of each page in the WAL, so a
  // longer WAL folds more rewrites of the same pages (counters, the newest leaves of an index)
  // into one copy: against SQLite's default of 1,000 pages this took the checkpoint's CPU per
  // one-recipient send from about 15 µs to 5 µs.
  static constexpr int kPagesBeforeCheckpoint = 16000;

  explicit Checkpointer(const std::string& path);
  ~Checkpointer();  // a last checkpoint, then stop
  Checkpointer(const Checkpointer&) = delete;
  Checkpointer& operator=(const Checkpointer&) = delete;

  // Called after each commit with the WAL's size in pages; cheap, never blocks on I/O.
  void wal_grew(int pages);

 private:
  void loop();

  std::unique_ptr<Connection> connection_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool due_ = false;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace herald::sqlite
