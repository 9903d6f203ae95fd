// The baseline for herald's HTTP benchmarks: the least a Beast HTTP/1.1 keep-alive server can do
// per request, answering every request with the same small JSON body.
//
// It is built like herald's net layer (separately compiled Asio and Beast, one io_context run by
// one thread per core, a strand per connection, a C++20 coroutine per connection, header limits
// and timeouts) and sends the same response headers, so that the gap to herald's GET /me is the
// cost of herald's own work: routing, authentication, the store read and the JSON reply.
//
// Usage: bare_beast_server [PORT]   (0 or none: any free port; prints "listening on PORT")
#include <charconv>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <string_view>
#include <thread>
#include <vector>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);

// About the size and shape of herald's GET /me reply.
constexpr std::string_view kBody =
    R"({"user":{"id":"1","username":"admin","display_name":"Administrator","email":null,)"
    R"("role":"admin","created_at":"2026-01-01T00:00:00.000Z"},)"
    R"("unread":{"inbox":0,"notifications":0}})";

constexpr std::uint32_t kHeaderLimit = 16 * 1024;
constexpr std::uint64_t kBodyLimit = 1024 * 1024;
constexpr auto kIdleTimeout = std::chrono::seconds(75);
constexpr auto kWriteTimeout = std::chrono::seconds(30);

asio::awaitable<void> serve_connection(tcp::socket socket) {
  beast::tcp_stream stream(std::move(socket));
  boost::system::error_code ec;
  stream.socket().set_option(tcp::no_delay(true), ec);
  beast::flat_buffer buffer;
  for (;;) {
    http::request_parser<http::string_body> parser;
    parser.header_limit(kHeaderLimit);
    parser.body_limit(kBodyLimit);
    stream.expires_after(kIdleTimeout);
    auto [read_error, read_bytes] = co_await http::async_read(stream, buffer, parser, use_tuple);
    if (read_error) break;
    const auto& req = parser.get();
    http::response<http::string_body> res{http::status::ok, req.version()};
    res.set(http::field::server, "bare");
    res.set(http::field::content_type, "application/json");
    res.set(http::field::cache_control, "no-store");
    res.set("X-Content-Type-Options", "nosniff");
    res.body() = kBody;
    res.keep_alive(req.keep_alive());
    res.prepare_payload();
    stream.expires_after(kWriteTimeout);
    auto [write_error, written] = co_await http::async_write(stream, res, use_tuple);
    if (write_error || !res.keep_alive()) break;
  }
  stream.socket().shutdown(tcp::socket::shutdown_send, ec);
}

asio::awaitable<void> accept_connections(asio::io_context& ioc, tcp::acceptor& acceptor) {
  for (;;) {
    tcp::socket socket(asio::make_strand(ioc));
    auto [ec] = co_await acceptor.async_accept(socket, use_tuple);
    if (ec) {
      if (ec == asio::error::operation_aborted || !acceptor.is_open()) co_return;
      continue;
    }
    asio::co_spawn(socket.get_executor(), serve_connection(std::move(socket)), asio::detached);
  }
}

bool parse_port(const char* text, unsigned short& port) {
  unsigned value = 0;
  const char* last = text + std::strlen(text);
  auto [end, ec] = std::from_chars(text, last, value);
  if (ec != std::errc() || end != last || value > 65535) return false;
  port = static_cast<unsigned short>(value);
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  unsigned short port = 0;
  if (argc > 2 || (argc == 2 && !parse_port(argv[1], port))) {
    std::fprintf(stderr, "usage: %s [PORT]\n", argv[0]);
    return 2;
  }
  int threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  asio::io_context ioc(threads);
  tcp::acceptor acceptor(ioc);
  tcp::endpoint endpoint(asio::ip::make_address("127.0.0.1"), port);
  acceptor.open(endpoint.protocol());
  acceptor.set_option(asio::socket_base::reuse_address(true));
  boost::system::error_code ec;
  acceptor.bind(endpoint, ec);
  if (ec) {
    std::fprintf(stderr, "cannot listen on port %u: %s\n", port, ec.message().c_str());
    return 1;
  }
  acceptor.listen(asio::socket_base::max_listen_connections);
  std::printf("listening on %u\n", acceptor.local_endpoint().port());
  std::fflush(stdout);

  asio::signal_set signals(ioc, SIGINT, SIGTERM);
  signals.async_wait([&](boost::system::error_code, int) { ioc.stop(); });
  asio::co_spawn(ioc, accept_connections(ioc, acceptor), asio::detached);

  std::vector<std::thread> pool;
  for (int i = 1; i < threads; ++i) pool.emplace_back([&ioc] { ioc.run(); });
  ioc.run();
  for (auto& thread : pool) thread.join();
  return 0;
}
