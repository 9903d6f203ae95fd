#include "store/sqlite/sqlite_reader_pool.hpp"

namespace herald::sqlite {

ReaderPool::ReaderPool(std::string path, std::size_t idle_limit)
    : path_(std::move(path)), idle_limit_(idle_limit) {}

ReaderPool::Lease ReaderPool::lease() {
  {
    std::lock_guard lock(mutex_);
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
