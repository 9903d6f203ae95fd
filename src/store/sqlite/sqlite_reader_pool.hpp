// A pool of read-only SQLite connections. In WAL mode readers never wait for the writer.
#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "store/sqlite/sqlite_connection.hpp"

namespace herald::sqlite {

class ReaderPool {
 public:
  class Lease {
   public:
    Lease(ReaderPool& pool, std::unique_ptr<Connection> connection)
        : pool_(&pool), connection_(std::move(connection)) {}
    Lease(Lease&&) = default;
    ~Lease() {
      if (connection_) pool_->give_back(std::move(connection_));
    }
    Connection& operator*() const noexcept { return *connection_; }
    Connection* operator->() const noexcept { return connection_.get(); }

   private:
    ReaderPool* pool_;
    std::unique_ptr<Connection> connection_;
  };

  // While one is held, lease() waits: reads already leased go on, no new one starts.
  class Pause {
   public:
    explicit Pause(ReaderPool& pool);
    Pause(const Pause&) = delete;
    Pause& operator=(const Pause&) = delete;
    ~Pause();

   private:
    ReaderPool& pool_;
  };

  // Keeps up to `idle_limit` idle connections; opens more on demand when all are busy.
  ReaderPool(std::string path, std::size_t idle_limit);
  Lease lease();

 private:
  void give_back(std::unique_ptr<Connection> connection);

  std::string path_;
  std::size_t idle_limit_;
  std::mutex mutex_;
  std::condition_variable resumed_;
  int pauses_ = 0;
  std::vector<std::unique_ptr<Connection>> idle_;
};

}  // namespace herald::sqlite
