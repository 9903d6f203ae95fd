#include "net/http_server.hpp"

#include <atomic>
#include <csignal>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <vector>

#include <spdlog/spdlog.h>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "live/hub.hpp"
#include "net/http_connection.hpp"
#include "net/io_pool.hpp"

namespace herald::net {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

class HttpServer::Impl final : public ConnectionHost {
 public:
  Impl(HttpServerOptions options, api::Api& api, IoPool& pool, live::Hub& hub)
      : options_(std::move(options)),
        api_(api),
        pool_(pool),
        hub_(hub),
        ioc_(pool.context(0)),
        workers_(static_cast<std::size_t>(std::max(1, options_.worker_threads))),
        acceptor_(ioc_),
        signals_(ioc_, SIGINT, SIGTERM) {}

  ~Impl() override { workers_.join(); }

  std::uint16_t listen() {
    boost::system::error_code ec;
    auto address = asio::ip::make_address(options_.host, ec);
    if (ec) {
      tcp::resolver resolver(ioc_);
      auto results = resolver.resolve(options_.host, "", ec);
      if (ec || results.empty()) {
        throw std::runtime_error("cannot resolve listen host '" + options_.host + "'");
      }
      address = results.begin()->endpoint().address();
    }
    tcp::endpoint endpoint(address, options_.port);
    acceptor_.open(endpoint.protocol());
    acceptor_.set_option(asio::socket_base::reuse_address(true));
    acceptor_.bind(endpoint, ec);
    if (ec) {
      throw std::runtime_error("cannot listen on " + options_.host + ":" +
                               std::to_string(options_.port) + ": " + ec.message());
    }
    acceptor_.listen(asio::socket_base::max_listen_connections);
    return acceptor_.local_endpoint().port();
  }

  void run() {
    asio::co_spawn(ioc_, accept_loop(), asio::detached);
    signals_.async_wait([this](boost::system::error_code ec, int signal) {
      if (ec) return;
      spdlog::info("signal {} received: shutting down", signal);
      begin_shutdown();
    });
    pool_.run();
    workers_.join();  // handlers already running finish their writes
    spdlog::info("server stopped");
  }

  void stop() {
    asio::post(ioc_, [this] { begin_shutdown(); });
  }

  // ConnectionHost
  api::Api& api() override { return api_; }
  live::Hub& hub() override { return hub_; }
  const HttpServerOptions& options() const override { return options_; }
  asio::thread_pool& workers() override { return workers_; }
  bool stopping() const override { return stopping_.load(std::memory_order_relaxed); }

  void enter(const std::shared_ptr<HttpConnection>& connection) override {
    std::lock_guard lock(mutex_);
    connections_.emplace(connection.get(), connection);
  }

  void leave(HttpConnection* connection) override {
    std::lock_guard lock(mutex_);
    connections_.erase(connection);
  }

 private:
  asio::awaitable<void> accept_loop() {
    for (int next = 0;; next = (next + 1) % pool_.size()) {
      // Connections are dealt to the I/O threads in turn; each stays on its thread.
      auto [ec, socket] =
          co_await acceptor_.async_accept(pool_.context(next), asio::as_tuple(asio::use_awaitable));
      if (ec) {
        if (stopping() || ec == asio::error::operation_aborted) co_return;
        spdlog::warn("accept failed: {}", ec.message());
        // Out of file descriptors and the like: pause instead of spinning.
        asio::steady_timer pause(ioc_, std::chrono::milliseconds(50));
        co_await pause.async_wait(asio::as_tuple(asio::use_awaitable));
        continue;
      }
      start_connection(*this, std::move(socket));
    }
  }

  void begin_shutdown() {
    if (stopping_.exchange(true)) return;
    signals_.cancel();
    boost::system::error_code ignored;
    acceptor_.close(ignored);
    hub_.drop_all(live::DropReason::server_shutdown);
    std::vector<std::shared_ptr<HttpConnection>> open;
    {
      std::lock_guard lock(mutex_);
      for (auto& [raw, weak] : connections_) {
        if (auto connection = weak.lock()) open.push_back(std::move(connection));
      }
    }
    for (auto& connection : open) connection->close_if_idle();
    asio::co_spawn(ioc_, drain(), asio::detached);
  }

  // Waits for connections to finish their current request, and for live sessions to take their
  // leave, up to the grace period.
  asio::awaitable<void> drain() {
    auto deadline = std::chrono::steady_clock::now() + options_.shutdown_grace;
    asio::steady_timer timer(ioc_);
    while (std::chrono::steady_clock::now() < deadline) {
      bool busy = hub_.size() > 0;
      {
        std::lock_guard lock(mutex_);
        busy = busy || !connections_.empty();
      }
      if (!busy) break;
      timer.expires_after(std::chrono::milliseconds(20));
      co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
    }
    std::size_t left = 0;
    {
      std::lock_guard lock(mutex_);
      left = connections_.size();
    }
    if (left > 0) spdlog::warn("{} connections still busy after the grace period", left);
    // Live sessions had the same time to say goodbye.
    pool_.stop();
  }

  HttpServerOptions options_;
  api::Api& api_;
  IoPool& pool_;
  live::Hub& hub_;
  asio::io_context& ioc_;
  asio::thread_pool workers_;
  tcp::acceptor acceptor_;
  asio::signal_set signals_;
  std::atomic<bool> stopping_{false};
  std::mutex mutex_;
  std::unordered_map<HttpConnection*, std::weak_ptr<HttpConnection>> connections_;
};

HttpServer::HttpServer(HttpServerOptions options, api::Api& api, IoPool& pool, live::Hub& hub)
    : impl_(std::make_unique<Impl>(std::move(options), api, pool, hub)) {}

HttpServer::~HttpServer() = default;

std::uint16_t HttpServer::listen() {
  return impl_->listen();
}
void HttpServer::run() {
  impl_->run();
}
void HttpServer::stop() {
  impl_->stop();
}

}  // namespace herald::net
