// The HTTP/1.1 server: accepts connections, reads requests with limits and timeouts, and hands
// them to the Api, on the I/O threads or the worker pool as each route asks.
// No Beast or Asio type appears here, so that including this header stays cheap.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

namespace herald::api {
class Api;
}
namespace herald::live {
class Hub;
}

namespace herald::net {

class IoPool;

struct HttpServerOptions {
  std::string host = "127.0.0.1";
  std::uint16_t port = 8080;  // 0: any free port
  int worker_threads = 32;    // handlers that wait on the store or a password hash
  std::size_t header_limit = 16 * 1024;
  std::size_t body_limit = 2 * 1024 * 1024;     // JSON bodies, held in memory
  std::size_t upload_limit = 25 * 1024 * 1024;  // uploads, streamed to upload_dir
  std::string upload_dir = "/tmp";
  std::chrono::seconds request_timeout{30};  // to receive one whole request
  std::chrono::seconds idle_timeout{75};     // a keep-alive connection with no request
  std::chrono::seconds shutdown_grace{10};   // in-flight requests get this long to finish
};

class HttpServer {
 public:
  // Serves on the pool's I/O threads; a request for a live session becomes one of the hub's.
  HttpServer(HttpServerOptions options, api::Api& api, IoPool& pool, live::Hub& hub);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Binds and listens; returns the bound port. Throws std::runtime_error if it cannot bind.
  std::uint16_t listen();
  // Serves until SIGINT or SIGTERM (or stop()), then shuts down gracefully: stops accepting,
  // drops live sessions, closes idle connections, lets in-flight requests finish within the
  // grace period. Runs the pool, and stops it before returning.
  void run();
  // Asks run() to shut down, from any thread.
  void stop();

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace herald::net
