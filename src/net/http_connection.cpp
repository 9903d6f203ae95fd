#include "net/http_connection.hpp"

#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <cstdio>

#include <spdlog/spdlog.h>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/file_body.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>

#include "api/api.hpp"
#include "api/live_admission.hpp"
#include "common/metrics.hpp"
#include "live/hub_impl.hpp"
#include "net/live_upgrade.hpp"

namespace herald::net {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);

api::ApiRequest to_api_request(const http::request_header<>& req, const std::string& remote) {
  api::ApiRequest request;
  request.method = api::parse_method(req.method_string());
  std::string_view target = req.target();
  auto question = target.find('?');
  request.path = std::string(target.substr(0, question));
  if (question != std::string_view::npos) request.query = std::string(target.substr(question + 1));
  request.authorization = std::string(req[http::field::authorization]);
  request.cookie = std::string(req[http::field::cookie]);
  request.csrf_token = std::string(req["X-CSRF-Token"]);
  request.content_type = std::string(req[http::field::content_type]);
  request.remote_address = remote;
  request.host = std::string(req[http::field::host]);
  request.origin = std::string(req[http::field::origin]);
  request.accept_encoding = std::string(req[http::field::accept_encoding]);
  return request;
}

template <class Body>
void set_common_headers(http::response<Body>& res, api::ApiResponse& response, bool keep_alive) {
  res.set(http::field::server, "herald");
  if (!response.content_type.empty()) res.set(http::field::content_type, response.content_type);
  res.set(http::field::cache_control, "no-store");
  res.set("X-Content-Type-Options", "nosniff");
  for (auto& [name, value] : response.headers) {
    if (beast::iequals(name, "Cache-Control")) res.erase(http::field::cache_control);
    res.insert(name, value);
  }
  res.keep_alive(keep_alive);
}

http::response<http::string_body> to_beast_response(api::ApiResponse&& response, unsigned version,
                                                    bool keep_alive) {
  http::response<http::string_body> res{static_cast<http::status>(response.status), version};
  set_common_headers(res, response, keep_alive);
  res.body() = std::move(response.body);
  res.prepare_payload();
  return res;
}

bool expects_continue(const http::request_header<>& header) {
  return beast::iequals(header[http::field::expect], "100-continue");
}

api::ApiResponse transport_error(int status, const char* code, const char* message) {
  api::ApiResponse response;
  response.status = status;
  response.body =
      std::string(R"({"error":{"code":")") + code + R"(","message":")" + message + R"("}})";
  return response;
}

class Connection final : public HttpConnection, public std::enable_shared_from_this<Connection> {
 public:
  Connection(ConnectionHost& host, tcp::socket socket) : host_(host), stream_(std::move(socket)) {}

  auto stream_executor() { return stream_.get_executor(); }

  void close_if_idle() override {
    asio::post(stream_.get_executor(), [self = shared_from_this()] {
      // A request whose bytes have already arrived is served, not dropped.
      boost::system::error_code ec;
      if (self->idle_ && self->stream_.socket().available(ec) == 0) self->stream_.cancel();
    });
  }

  asio::awaitable<void> serve() {
    auto& m = metrics();
    m.http_connections_open.fetch_add(1, std::memory_order_relaxed);
    m.http_connections_total.fetch_add(1, std::memory_order_relaxed);
    try {
      co_await serve_requests();
    } catch (const std::exception& e) {
      spdlog::error("connection failed: {}", e.what());
    }
    boost::system::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
    if (answered_early_) co_await drop_what_is_still_coming();
    stream_.close();
    m.http_connections_open.fetch_sub(1, std::memory_order_relaxed);
    host_.leave(this);
  }

 private:
  asio::awaitable<void> serve_requests() {
    boost::system::error_code ec;
    auto endpoint = stream_.socket().remote_endpoint(ec);
    std::string remote = ec ? "unknown" : endpoint.address().to_string();
    stream_.socket().set_option(tcp::no_delay(true), ec);
    const HttpServerOptions& options = host_.options();
    beast::flat_buffer buffer;
    bool first = true;
    while (!host_.stopping()) {
      http::request_parser<http::empty_body> header_parser;
      header_parser.header_limit(static_cast<std::uint32_t>(options.header_limit));
      // Beast checks a Content-Length against the limit when the header completes, before the
      // route is known: allow the larger limit here, and check the route's own just below.
      header_parser.body_limit(std::max(options.body_limit, options.upload_limit));
      stream_.expires_after(first ? options.request_timeout : options.idle_timeout);
      first = false;
      idle_ = buffer.size() == 0;
      auto [header_error, header_bytes] =
          co_await http::async_read_header(stream_, buffer, header_parser, use_tuple);
      idle_ = false;
      if (header_error) {
        co_await answer_read_error(header_error);
        co_return;
      }
      stream_.expires_after(options.request_timeout);
      const auto& header = header_parser.get();
      unsigned version = header.version();
      bool keep_alive = header.keep_alive();
      bool head = header.method() == http::verb::head;
      auto started = std::chrono::steady_clock::now();
      api::ApiRequest request = to_api_request(header, remote);
      if (auto live = api::live_endpoint(request); live != api::LiveEndpoint::none) {
        co_await open_live_session(header, request, live, buffer, version);
        co_return;
      }
      api::RouteMatch match = host_.api().resolve(request);
      bool upload = match.route && match.route->body_to_file;
      std::size_t limit = upload ? options.upload_limit : options.body_limit;
      if (auto length = header_parser.content_length(); length && *length > limit) {
        co_await answer_read_error(http::error::body_limit);
        co_return;
      }
      if (auto refusal = host_.api().refuse_before_body(request, match)) {
        // The body is not read: answer and close, so it is never parsed as a next request.
        answered_early_ = true;
        int status = refusal->status;
        auto res = to_beast_response(std::move(*refusal), version, false);
        co_await http::async_write(stream_, res, use_tuple);
        record(status, started);
        co_return;
      }
      if (expects_continue(header)) {
        http::response<http::empty_body> go_on{http::status::continue_, version};
        co_await http::async_write(stream_, go_on, use_tuple);
      }
      boost::system::error_code body_error;
      if (upload) {
        body_error = co_await read_body_to_file(std::move(header_parser), buffer, request);
      } else {
        http::request_parser<http::string_body> parser{std::move(header_parser)};
        parser.body_limit(options.body_limit);
        auto [error, bytes] = co_await http::async_read(stream_, buffer, parser, use_tuple);
        body_error = error;
        if (!error) request.body = std::move(parser.get().body());
      }
      if (body_error) {
        co_await answer_read_error(body_error);
        co_return;
      }
      api::ApiResponse response = co_await run_handler(request, std::move(match));
      int status = response.status;
      bool keep = keep_alive && !host_.stopping();
      boost::system::error_code write_error;
      if (!response.file_path.empty() && !head) {
        write_error = co_await write_file_response(std::move(response), version, keep);
      } else {
        if (head) response.body.clear();
        auto res = to_beast_response(std::move(response), version, keep);
        auto [error, written] = co_await http::async_write(stream_, res, use_tuple);
        write_error = error;
      }
      record(status, started);
      spdlog::debug("{} {} {} from {}", api::method_name(request.method), request.path, status,
                    remote);
      if (write_error || !keep) co_return;
    }
  }

  // Answers the handshake and hands the socket to the hub; the connection ends here either way.
  asio::awaitable<void> open_live_session(const http::request_header<>& header,
                                          const api::ApiRequest& request,
                                          api::LiveEndpoint endpoint, beast::flat_buffer& buffer,
                                          unsigned version) {
    auto started = std::chrono::steady_clock::now();
    auto refuse = [&](api::ApiResponse response) -> asio::awaitable<void> {
      int status = response.status;
      auto res = to_beast_response(std::move(response), version, false);
      co_await http::async_write(stream_, res, use_tuple);
      record(status, started);
    };
    if (host_.stopping()) {
      co_await refuse(transport_error(503, "unavailable", "the server is shutting down"));
      co_return;
    }
    std::string head;
    if (endpoint == api::LiveEndpoint::websocket) {
      auto accept = websocket_accept(header);
      if (auto* refusal = std::get_if<api::ApiResponse>(&accept)) {
        co_await refuse(std::move(*refusal));
        co_return;
      }
      head = websocket_switching_response(std::get<std::string>(accept));
    } else {
      head = sse_stream_head();
    }
    auto admission = host_.api().admit_live(request, endpoint);
    if (admission.refusal) {
      co_await refuse(std::move(*admission.refusal));
      co_return;
    }
    auto [error, written] = co_await asio::async_write(stream_, asio::buffer(head), use_tuple);
    if (error) co_return;
    record(endpoint == api::LiveEndpoint::websocket ? 101 : 200, started);
    std::string pending = beast::buffers_to_string(buffer.data());
    stream_.expires_never();
    auto protocol =
        endpoint == api::LiveEndpoint::websocket ? live::Protocol::websocket : live::Protocol::sse;
    host_.hub().impl().adopt(stream_.release_socket(), protocol, std::move(admission.identity),
                             std::move(admission.principal), pending);
  }

  // Streams an upload into a new file of the upload folder; nothing stays on disk on failure.
  asio::awaitable<boost::system::error_code> read_body_to_file(
      http::request_parser<http::empty_body>&& header_parser, beast::flat_buffer& buffer,
      api::ApiRequest& request) {
    const HttpServerOptions& options = host_.options();
    http::request_parser<http::file_body> parser{std::move(header_parser)};
    parser.body_limit(options.upload_limit);
    std::string path = options.upload_dir + "/upload-" + std::to_string(::getpid()) + "-" +
                       std::to_string(next_upload_id());
    beast::error_code ec;
    parser.get().body().open(path.c_str(), beast::file_mode::write, ec);
    if (ec) {
      spdlog::error("cannot create upload file {}: {}", path, ec.message());
      co_return ec;
    }
    auto [error, bytes] = co_await http::async_read(stream_, buffer, parser, use_tuple);
    std::uint64_t size = parser.get().body().file().size(ec);
    parser.get().body().close();
    if (error) {
      std::remove(path.c_str());
      co_return error;
    }
    request.body_file = path;
    request.body_size = size;
    co_return boost::system::error_code{};
  }

  asio::awaitable<boost::system::error_code> write_file_response(api::ApiResponse&& response,
                                                                 unsigned version, bool keep) {
    http::response<http::file_body> res{static_cast<http::status>(response.status), version};
    beast::error_code ec;
    res.body().open(response.file_path.c_str(), beast::file_mode::scan, ec);
    if (ec) {
      auto missing = to_beast_response(
          transport_error(404, "not_found", "the attachment's content is missing"), version, keep);
      auto [error, written] = co_await http::async_write(stream_, missing, use_tuple);
      co_return error;
    }
    set_common_headers(res, response, keep);
    res.prepare_payload();
    auto [error, written] = co_await http::async_write(stream_, res, use_tuple);
    co_return error;
  }

  static std::uint64_t next_upload_id() {
    static std::atomic<std::uint64_t> counter{0};
    return counter.fetch_add(1, std::memory_order_relaxed);
  }

  asio::awaitable<api::ApiResponse> run_handler(const api::ApiRequest& request,
                                                api::RouteMatch match) {
    api::Api& api = host_.api();
    if (match.route && match.route->async_handler) {
      // Started here; completed from whichever thread finished the work (the store's writer),
      // which posts the response's builder back to this connection's thread.
      auto build = co_await asio::async_initiate<const asio::use_awaitable_t<>,
                                                 void(std::function<api::ApiResponse()>)>(
          [this, &api, &request, &match](auto handler) {
            auto waiting = std::make_shared<decltype(handler)>(std::move(handler));
            api::Respond respond = [waiting](std::function<api::ApiResponse()> builder) {
              auto executor = asio::get_associated_executor(*waiting);
              asio::post(executor, [waiting, builder = std::move(builder)]() {
                (*waiting)(std::move(builder));
              });
            };
            auto& workers = host_.workers();
            if (!api.runs_on_worker(request, match)) {
              api.handle_async(
                  request, std::move(match), std::move(respond),
                  [&workers](std::function<void()> task) { asio::post(workers, std::move(task)); });
              return;
            }
            // Started on a worker, which may still be unwinding the handler when the reply is
            // already back here: the handler gets its own copy of the request.
            auto copy = std::make_shared<const api::ApiRequest>(request);
            asio::post(workers, [&api, copy, match = std::move(match),
                                 respond = std::move(respond)]() mutable {
              api.handle_async(
                  *copy, std::move(match),
                  [copy, respond](std::function<api::ApiResponse()> builder) {
                    respond(std::move(builder));
                  },
                  [](std::function<void()> task) { task(); });
            });
          },
          asio::use_awaitable);
      try {
        co_return build();
      } catch (const std::exception& e) {
        spdlog::error("building a response failed: {}", e.what());
        co_return transport_error(500, "internal", "internal error");
      }
    }
    if (api.runs_on_worker(request, match)) {
      // Runs on the worker pool; the coroutine resumes on this connection's strand.
      co_return co_await asio::co_spawn(
          host_.workers(),
          [&api, &request, &match]() -> asio::awaitable<api::ApiResponse> {
            co_return api.handle(request, std::move(match));
          },
          asio::use_awaitable);
    }
    co_return api.handle(request, std::move(match));
  }

  asio::awaitable<void> answer_read_error(boost::system::error_code ec) {
    api::ApiResponse response;
    if (ec == http::error::body_limit) {
      response = transport_error(413, "too_large", "the request body is over the limit");
    } else if (ec == http::error::header_limit) {
      response = transport_error(431, "too_large", "the request headers are over the limit");
    } else if (ec.category() == http::make_error_code(http::error::bad_method).category() &&
               ec != http::error::end_of_stream && ec != http::error::partial_message) {
      response = transport_error(400, "bad_request", "malformed HTTP request");
    } else {
      co_return;  // closed, timed out or cancelled: nobody to answer
    }
    answered_early_ = true;
    int status = response.status;
    auto res = to_beast_response(std::move(response), 11, false);
    stream_.expires_after(std::chrono::seconds(5));
    co_await http::async_write(stream_, res, use_tuple);
    record(status, std::chrono::steady_clock::now());
  }

  static void record(int status, std::chrono::steady_clock::time_point started) {
    auto& m = metrics();
    int klass = status / 100;
    if (klass >= 1 && klass <= 5) m.http_responses[klass].fetch_add(1, std::memory_order_relaxed);
    m.http_request_seconds.observe(
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
  }

  // After an answer sent before the request was read to its end (a body over the limit, a
  // refusal, a malformed request), reads and drops what the client still sends, for a while,
  // before the socket is closed. Closing with unread bytes makes the kernel send a reset, and a
  // client still writing its body then fails on the write, or loses the answer it has not read.
  asio::awaitable<void> drop_what_is_still_coming() {
    constexpr auto kLinger = std::chrono::seconds(5);
    constexpr std::size_t kMaxDropped = 64 * 1024 * 1024;
    stream_.expires_after(kLinger);
    std::array<char, 16 * 1024> scratch;
    std::size_t dropped = 0;
    while (dropped < kMaxDropped) {
      auto [ec, bytes] = co_await stream_.async_read_some(asio::buffer(scratch), use_tuple);
      if (ec) break;  // the client closed, the time is up, or the connection broke
      dropped += bytes;
    }
  }

  ConnectionHost& host_;
  beast::tcp_stream stream_;
  bool idle_ = false;            // touched only on the strand
  bool answered_early_ = false;  // the same
};

}  // namespace

void start_connection(ConnectionHost& host, tcp::socket socket) {
  auto connection = std::make_shared<Connection>(host, std::move(socket));
  host.enter(connection);
  auto executor = connection->stream_executor();
  asio::co_spawn(
      executor, [connection]() { return connection->serve(); }, asio::detached);
}

}  // namespace herald::net
