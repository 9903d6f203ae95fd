#include "store/sqlite/sqlite_checkpointer.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <spdlog/spdlog.h>

#include "common/thread_name.hpp"

namespace herald::sqlite {
namespace {

const Query kCheckpoint{"PRAGMA wal_checkpoint(PASSIVE)"};
// Also waits, within the connection's busy timeout, for readers still on an old snapshot.
const Query kCheckpointAndRestart{"PRAGMA wal_checkpoint(RESTART)"};
// How long the writer's catch-up waits for such readers before leaving it to the next round.
constexpr int kCatchUpWaitMs = 5;

// Writes the database file's dirty pages back a window at a time, each waited for, before the
// sync: one sync of tens of megabytes queued every commit's WAL sync behind it (p99 of sends at
// 2,000/s 7-9 ms against 5-6 ms written back this way). Linux's sync_file_range; the sync after
// it is what makes the pages durable.
void write_back_gradually(const std::string& path) {
  constexpr off_t kWindow = 2 << 20;
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return;
  off_t size = ::lseek(fd, 0, SEEK_END);
  for (off_t at = 0; at < size; at += kWindow) {
    ::sync_file_range(
        fd, at, kWindow,
        SYNC_FILE_RANGE_WAIT_BEFORE | SYNC_FILE_RANGE_WRITE | SYNC_FILE_RANGE_WAIT_AFTER);
  }
  ::close(fd);
}

// Copies what it can of the WAL into the database; returns how many of its frames are copied.
int checkpoint(Connection& connection, const Query& mode = kCheckpoint) {
  try {
    auto stmt = connection.prepare(mode);
    if (stmt->step()) return static_cast<int>(stmt->column_int(2));  // busy, log, checkpointed
  } catch (const std::exception& e) {
    spdlog::warn("WAL checkpoint failed: {}", e.what());
  }
  return 0;
}

}  // namespace

Checkpointer::Checkpointer(const std::string& path, int pages_before_checkpoint)
    : connection_(std::make_unique<Connection>(path, Connection::Mode::writer)),
      path_(path),
      pages_before_checkpoint_(pages_before_checkpoint),
      thread_([this] { loop(); }) {}

Checkpointer::~Checkpointer() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_one();
  thread_.join();
}

void Checkpointer::wal_grew(int pages) {
  wal_pages_.store(pages, std::memory_order_relaxed);
  if (pages < pages_before_checkpoint_) return;
  // One pass at a time; the next once the writer has caught up with this one.
  int expected = idle;
  if (!state_.compare_exchange_strong(expected, copying)) return;
  {
    std::lock_guard lock(mutex_);
    due_ = true;
  }
  wake_.notify_one();
}

void Checkpointer::catch_up(Connection& writer) {
  if (state_.load(std::memory_order_acquire) != catch_up_due) return;
  // The writer's next transaction starts the WAL over only if no reader is still on a snapshot
  // that needs it: a RESTART waits for them, briefly, so that a long read delays the next
  // round, not the writer.
  writer.set_busy_timeout(kCatchUpWaitMs);
  checkpoint(writer, kCheckpointAndRestart);
  writer.set_busy_timeout(Connection::kBusyTimeoutMs);
  rounds_.fetch_add(1, std::memory_order_relaxed);
  state_.store(idle, std::memory_order_release);
}

void Checkpointer::loop() {
  name_this_thread("herald-ckpt");
  for (;;) {
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [this] { return due_ || stopping_; });
      if (stopping_) break;
      due_ = false;
    }
    // Each pass copies what the WAL held when it began; the writer's catch-up should find
    // little left, since it holds every commit back while it runs.
    for (int pass = 0; pass < kMaxPasses; ++pass) {
      int copied = checkpoint(*connection_);
      if (wal_pages_.load(std::memory_order_relaxed) - copied <= kCatchUpFrames) break;
    }
    // A pass that does not reach the WAL's end leaves its pages unsynced (the WAL still holds
    // them); the catch-up, which reaches it, would then sync them all while the writer waits.
    write_back_gradually(path_);
    try {
      connection_->sync_database_file();
    } catch (const std::exception& e) {
      spdlog::warn("syncing the database file failed: {}", e.what());
    }
    state_.store(catch_up_due, std::memory_order_release);
  }
  checkpoint(*connection_);
}

}  // namespace herald::sqlite
