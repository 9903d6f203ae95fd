#include "store/sqlite/sqlite_checkpointer.hpp"

#include <fcntl.h>
#include <linux/ioprio.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <optional>
#include <thread>

#include <spdlog/spdlog.h>

#include "common/metrics.hpp"
#include "common/thread_name.hpp"
#include "store/sqlite/sqlite_vfs.hpp"

namespace herald::sqlite {
namespace {

const Query kCheckpoint{"PRAGMA wal_checkpoint(PASSIVE)"};
// Also waits, within the connection's busy timeout, for readers still on an old snapshot.
const Query kCheckpointAndRestart{"PRAGMA wal_checkpoint(RESTART)"};
// How long the writer's catch-up waits for such readers before leaving it to the next round.
constexpr int kCatchUpWaitMs = 10;
// Write-back pauses, in multiples of each window's write time. The later passes, which write
// back what the sends added during the one before, go without pauses so that they converge:
// paced, each took 50-100 ms at 2,000 sends/s, during which the sends added the 1,000-2,000
// frames that the writer's catch-up then copied, holding every commit for 8-17 ms.
constexpr int kFirstPassPause = 3;
constexpr int kLaterPassPause = 0;
// Pages the checkpoint copies between two yields of its core: about half a millisecond.
constexpr int kPagesBetweenYields = 64;

// The checkpointer's reads and writes go in the idle I/O class. A block scheduler that honours
// classes (mq-deadline, BFQ) then serves the WAL flushes that sends wait for first, and still
// serves these after a bounded wait; others ignore it.
void lower_io_priority() {
  if (::syscall(SYS_ioprio_set, IOPRIO_WHO_PROCESS, 0 /* this thread */,
                IOPRIO_PRIO_VALUE(IOPRIO_CLASS_IDLE, 0)) != 0) {
    spdlog::debug("the checkpointer's I/O priority stays as it was: {}", std::strerror(errno));
  }
}

// Writes the database file's dirty pages back a window at a time before the sync, pausing
// after each window `pause` times as long as its write took. Those writes and the commits' WAL
// flushes share the disk: written back at once, tens of megabytes of pages made every flush
// behind them wait. A window of 256 KiB queues at most 64 page writes in front of a flush (1 MiB
// windows measured slower). Linux's sync_file_range; the sync after it makes them durable.
void write_back_gradually(int fd, int pause) {
  constexpr off_t kWindow = 256 * 1024;
  if (fd < 0) return;
  off_t size = ::lseek(fd, 0, SEEK_END);
  for (off_t at = 0; at < size; at += kWindow) {
    auto began = std::chrono::steady_clock::now();
    ::sync_file_range(
        fd, at, kWindow,
        SYNC_FILE_RANGE_WAIT_BEFORE | SYNC_FILE_RANGE_WRITE | SYNC_FILE_RANGE_WAIT_AFTER);
    auto took = std::chrono::steady_clock::now() - began;
    if (pause > 0 && took > std::chrono::microseconds(50)) {
      std::this_thread::sleep_for(took * pause);
    }
  }
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

Checkpointer::Checkpointer(const std::string& path, int pages_before_checkpoint,
                           ReaderPool* readers)
    : connection_(std::make_unique<Connection>(path, Connection::Mode::writer)),
      database_fd_(::open(path.c_str(), O_RDONLY | O_CLOEXEC)),
      readers_(readers),
      pages_before_checkpoint_(pages_before_checkpoint),
      thread_([this] { loop(); }) {}

Checkpointer::~Checkpointer() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_one();
  thread_.join();
  connection_.reset();  // before the descriptor, whose closing drops the connection's locks
  if (database_fd_ >= 0) ::close(database_fd_);
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
  auto started = std::chrono::steady_clock::now();
  {
    // The writer's next transaction starts the WAL over only if no reader is still on a
    // snapshot that needs it. Reads that begin from now on would take such snapshots, one
    // after another, so they wait; a RESTART waits, briefly, for those under way, so that a
    // long read delays the next round, not the writer.
    std::optional<ReaderPool::Pause> pause;
    if (readers_) pause.emplace(*readers_);
    writer.set_busy_timeout(kCatchUpWaitMs);
    checkpoint(writer, kCheckpointAndRestart);
    writer.set_busy_timeout(Connection::kBusyTimeoutMs);
  }
  metrics().store_catch_up_seconds.observe(
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
  rounds_.fetch_add(1, std::memory_order_relaxed);
  state_.store(idle, std::memory_order_release);
}

void Checkpointer::loop() {
  name_this_thread("herald-ckpt");
  lower_io_priority();
  try {
    // Its copies give way to the threads that sends wait for (see sqlite_vfs.hpp).
    int pages = kPagesBetweenYields;
    connection_->file_control(kYieldEvery, &pages);
  } catch (const std::exception& e) {
    spdlog::warn("the checkpointer's copies will not yield: {}", e.what());
  }
  for (;;) {
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [this] { return due_ || stopping_; });
      if (stopping_) break;
      due_ = false;
    }
    // Each pass copies what the WAL held when it began, and syncs it; passes repeat until the
    // writer's catch-up, which holds every commit back while it runs, has little left to copy.
    for (int pass = 0; pass < kMaxPasses; ++pass) {
      int copied = checkpoint(*connection_);
      // The first pass copies most of a round's pages; the later ones, copying what was added
      // meanwhile, are written back without pauses so that they converge.
      write_back_gradually(database_fd_, pass == 0 ? kFirstPassPause : kLaterPassPause);
      try {
        connection_->sync_database_file();
      } catch (const std::exception& e) {
        spdlog::warn("syncing the database file failed: {}", e.what());
      }
      if (wal_pages_.load(std::memory_order_relaxed) - copied <= kCatchUpFrames) break;
    }
    state_.store(catch_up_due, std::memory_order_release);
  }
  checkpoint(*connection_);
}

}  // namespace herald::sqlite
