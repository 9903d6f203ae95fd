// The I/O threads: one single-threaded io_context per thread, so that a connection, and the live
// session it may become, stays on one thread and needs no locks or strands.
#pragma once

#include <functional>
#include <memory>

namespace boost::asio {
class io_context;
}

namespace herald::net {

class IoPool {
 public:
  explicit IoPool(int threads);  // 0: one per core
  ~IoPool();
  IoPool(const IoPool&) = delete;
  IoPool& operator=(const IoPool&) = delete;

  int size() const noexcept;
  boost::asio::io_context& context(int index) noexcept;
  // The index of `context` in this pool, or -1.
  int index_of(const boost::asio::io_context& context) const noexcept;

  // Runs `task` on the first thread, after the tasks posted before it (so that events published
  // from it keep their order); from any thread. Tasks posted after stop() never run.
  void post(std::function<void()> task);

  // Runs every context, one on the calling thread, until stop().
  void run();
  // Makes run() return once each context has stopped; from any thread.
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace herald::net
