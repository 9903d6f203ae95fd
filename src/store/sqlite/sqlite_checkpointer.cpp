#include "store/sqlite/sqlite_checkpointer.hpp"

#include <spdlog/spdlog.h>

#include "common/thread_name.hpp"

namespace herald::sqlite {

Checkpointer::Checkpointer(const std::string& path)
    : connection_(std::make_unique<Connection>(path, Connection::Mode::writer)),
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
  if (pages < kPagesBeforeCheckpoint) return;
  {
    std::lock_guard lock(mutex_);
    if (due_) return;
    due_ = true;
  }
  wake_.notify_one();
}

void Checkpointer::loop() {
  name_this_thread("herald-ckpt");
  for (;;) {
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [this] { return due_ || stopping_; });
      due_ = false;
    }
    try {
      connection_->exec("PRAGMA wal_checkpoint(PASSIVE)");
    } catch (const std::exception& e) {
      spdlog::warn("WAL checkpoint failed: {}", e.what());
    }
    std::lock_guard lock(mutex_);
    if (stopping_) return;
  }
}

}  // namespace herald::sqlite
