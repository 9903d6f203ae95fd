// One HTTP/1.1 connection: a coroutine that reads a request, runs it, writes the response, and
// repeats while the client keeps the connection alive. Internal to the net layer.
#pragma once

#include <memory>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/thread_pool.hpp>

#include "net/http_server.hpp"

namespace herald::live {
class Hub;
}

namespace herald::net {

class HttpConnection {
 public:
  virtual ~HttpConnection() = default;
  // Closes the connection if it is waiting for a request; a busy one closes after its response.
  // Callable from any thread.
  virtual void close_if_idle() = 0;
};

// What a connection needs from its server.
class ConnectionHost {
 public:
  virtual ~ConnectionHost() = default;
  virtual api::Api& api() = 0;
  virtual live::Hub& hub() = 0;
  virtual const HttpServerOptions& options() const = 0;
  virtual boost::asio::thread_pool& workers() = 0;
  virtual bool stopping() const = 0;
  virtual void enter(const std::shared_ptr<HttpConnection>& connection) = 0;
  virtual void leave(HttpConnection* connection) = 0;
};

// Takes over an accepted socket (its executor is its I/O thread's io_context) and serves it.
void start_connection(ConnectionHost& host, boost::asio::ip::tcp::socket socket);

}  // namespace herald::net
