#include "store/sqlite/sqlite_reader_pool.hpp"

namespace herald::sqlite {

ReaderPool::ReaderPool(std::string path, std::size_t idle_limit)
    : path_(std::move(path)), idle_limit_(idle_limit) {}

ReaderPool::Pause::Pause(ReaderPool& pool) : pool_(pool) {
  std::lock_guard lock(pool_.mutex_);
  ++pool_.pauses_;
}

ReaderPool::Pause::~Pause() {
  {
    std::lock_guard lock(pool_.mutex_);
    --pool_.pauses_;
  }
  pool_.resumed_.notify_all();
}

ReaderPool::Lease ReaderPool::lease() {
  {
    std::unique_lock lock(mutex_);
    resumed_.wait(lock, [this] { return pauses_ == 0; });
    if (!idle_.empty()) {
      auto connection = std::move(idle_.back());
      idle_.pop_back();
      return Lease(*this, std::move(connection));
    }
  }
  return Lease(*this, std::make_unique<Connection>(path_, Connection::Mode::reader));
}

void ReaderPool::give_back(std::unique_ptr<Connection> connection) {
  std::lock_guard lock(mutex_);
  if (idle_.size() < idle_limit_) idle_.push_back(std::move(connection));
}

}  // namespace herald::sqlite
