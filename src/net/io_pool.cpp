#include "net/io_pool.hpp"

#include <algorithm>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>

#include "common/thread_name.hpp"

namespace herald::net {

namespace asio = boost::asio;

struct IoPool::Impl {
  using Guard = asio::executor_work_guard<asio::io_context::executor_type>;
  std::vector<std::unique_ptr<asio::io_context>> contexts;
  std::vector<std::optional<Guard>> guards;  // keep run() going while there is nothing to do
};

IoPool::IoPool(int threads) : impl_(std::make_unique<Impl>()) {
  int count =
      threads > 0 ? threads : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  for (int i = 0; i < count; ++i) {
    // The hint 1 lets Asio drop locking inside a context that only one thread runs.
    impl_->contexts.push_back(std::make_unique<asio::io_context>(1));
    impl_->guards.emplace_back(asio::make_work_guard(*impl_->contexts.back()));
  }
}

IoPool::~IoPool() = default;

int IoPool::size() const noexcept {
  return static_cast<int>(impl_->contexts.size());
}

asio::io_context& IoPool::context(int index) noexcept {
  return *impl_->contexts[static_cast<std::size_t>(index)];
}

int IoPool::index_of(const asio::io_context& context) const noexcept {
  for (std::size_t i = 0; i < impl_->contexts.size(); ++i) {
    if (impl_->contexts[i].get() == &context) return static_cast<int>(i);
  }
  return -1;
}

void IoPool::post(std::function<void()> task) {
  asio::post(*impl_->contexts.front(), std::move(task));
}

void IoPool::run() {
  std::vector<std::thread> threads;
  for (std::size_t i = 1; i < impl_->contexts.size(); ++i) {
    threads.emplace_back([context = impl_->contexts[i].get(), i] {
      name_this_thread("herald-io-" + std::to_string(i));
      context->run();
    });
  }
  // The main thread keeps the process's name (what ps and pgrep show).
  impl_->contexts.front()->run();
  for (auto& thread : threads) thread.join();
}

void IoPool::stop() {
  for (auto& context : impl_->contexts) context->stop();
}

}  // namespace herald::net
