#include "store/sqlite/sqlite_wal_syncer.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <stdexcept>

#include <spdlog/spdlog.h>

#include "common/metrics.hpp"
#include "common/thread_name.hpp"

namespace herald::sqlite {
namespace {

int open_wal(const std::string& wal_path) {
  // fdatasync flushes the file, whichever descriptor wrote it.
  int fd = ::open(wal_path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    throw std::runtime_error("cannot open " + wal_path + ": " + std::strerror(errno));
  }
  // SQLite, had it synced the WAL itself, would have synced its folder once too.
  auto folder = std::filesystem::path(wal_path).parent_path();
  int folder_fd = ::open(folder.empty() ? "." : folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (folder_fd >= 0) {
    ::fsync(folder_fd);
    ::close(folder_fd);
  }
  return fd;
}

}  // namespace

WalSyncer::WalSyncer(const std::string& wal_path, std::function<void()> before_flush)
    : wal_path_(wal_path),
      fd_(open_wal(wal_path)),
      before_flush_(std::move(before_flush)),
      thread_([this] { loop(); }) {}

WalSyncer::~WalSyncer() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_one();
  thread_.join();
  ::close(fd_);
}

void WalSyncer::after_commit(Durable durable) {
  {
    std::lock_guard lock(mutex_);
    pending_.push_back(std::move(durable));
  }
  wake_.notify_one();
}

void WalSyncer::loop() {
  name_this_thread("herald-sync");
  std::vector<Durable> batch;
  for (;;) {
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [this] { return stopping_ || !pending_.empty(); });
      if (pending_.empty()) return;  // stopping, and nothing left to flush
      batch.swap(pending_);
    }
    if (before_flush_) before_flush_();
    auto started = std::chrono::steady_clock::now();
    if (::fdatasync(fd_) != 0) {
      // After a failed fdatasync the kernel may have dropped the pages it could not write, so
      // no later flush can vouch for them. Stopping is the only honest answer: on the next
      // start SQLite recovers from the WAL what really reached the disk.
      spdlog::critical(
          "cannot sync {}: {}; stopping so that no write is acknowledged that may "
          "be lost",
          wal_path_, std::strerror(errno));
      std::abort();
    }
    metrics().store_sync_seconds.observe(
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
    for (auto& durable : batch) durable();
    batch.clear();
  }
}

}  // namespace herald::sqlite
