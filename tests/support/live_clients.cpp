#include "support/live_clients.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <random>
#include <stdexcept>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/websocket/stream.hpp>
#include <boost/json/parse.hpp>

namespace herald::test {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;

namespace {

int connect_loopback(unsigned short port, int receive_buffer_bytes = 0) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) throw std::runtime_error("socket() failed");
  if (receive_buffer_bytes > 0) {
    ::setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &receive_buffer_bytes, sizeof receive_buffer_bytes);
  }
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    ::close(fd);
    throw std::runtime_error("cannot connect to the server");
  }
  return fd;
}

void write_all(int fd, const std::string& bytes) {
  std::size_t sent = 0;
  while (sent < bytes.size()) {
    ssize_t n = ::send(fd, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) throw std::runtime_error("send failed");
    sent += static_cast<std::size_t>(n);
  }
}

// Appends what arrives within `timeout`: 1 when something did, 0 on timeout, -1 at the end of
// the stream.
int read_some(int fd, std::string& into, std::chrono::milliseconds timeout) {
  pollfd p{fd, POLLIN, 0};
  if (::poll(&p, 1, static_cast<int>(std::max<long>(0, timeout.count()))) <= 0) return 0;
  char chunk[65536];
  ssize_t n = ::recv(fd, chunk, sizeof chunk, 0);
  if (n <= 0) return -1;
  into.append(chunk, static_cast<std::size_t>(n));
  return 1;
}

std::string request_head(const std::string& target, const Headers& headers,
                         const std::string& extra) {
  std::string out = "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + extra;
  for (const auto& [name, value] : headers) out += name + ": " + value + "\r\n";
  return out + "\r\n";
}

int status_of(const std::string& head) {
  // "HTTP/1.1 101 ..."
  return head.size() > 12 ? std::stoi(head.substr(9, 3)) : 0;
}

std::optional<boost::json::value> parse_event(const std::string& text) {
  boost::system::error_code ec;
  auto value = boost::json::parse(text, ec);
  if (ec) return boost::json::value(text);  // not JSON: hand the text over as a string
  return value;
}

bool has_type(const boost::json::value& event, const std::string& type) {
  const auto* object = event.if_object();
  if (!object) return false;
  const auto* found = object->if_contains("type");
  return found && found->is_string() && found->get_string() == type;
}

// Reads a client's events until one of `type` arrives, skipping the others.
template <class Client>
std::optional<boost::json::value> next_event_of_type(Client& client, const std::string& type,
                                                     std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return std::nullopt;
    auto event = client.next(left);
    if (!event) return std::nullopt;
    if (has_type(*event, type)) return event;
  }
}

}  // namespace

// ---- WsClient ----

struct WsClient::Impl {
  asio::io_context ioc;
  websocket::stream<beast::tcp_stream> ws{ioc};
  beast::flat_buffer buffer;
  bool read_pending = false;
  bool read_done = false;
  boost::system::error_code read_error;
  int close_code = -1;
  std::string close_reason;

  void connect(unsigned short port, const std::string& target, const Headers& headers,
               websocket::response_type& response, boost::system::error_code& ec) {
    beast::get_lowest_layer(ws).connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
    ws.set_option(websocket::stream_base::decorator([headers](websocket::request_type& req) {
      for (const auto& [name, value] : headers) req.set(name, value);
    }));
    ws.handshake(response, "127.0.0.1", target, ec);
  }
};

WsClient::WsClient(unsigned short port, const std::string& target, const Headers& headers)
    : impl_(std::make_unique<Impl>()) {
  websocket::response_type response;
  boost::system::error_code ec;
  impl_->connect(port, target, headers, response, ec);
  if (ec) {
    throw std::runtime_error("upgrade refused: " + std::to_string(response.result_int()) + " " +
                             response.body());
  }
}

WsClient::~WsClient() = default;

int WsClient::upgrade_status(unsigned short port, const std::string& target,
                             const Headers& headers) {
  Impl impl;
  websocket::response_type response;
  boost::system::error_code ec;
  impl.connect(port, target, headers, response, ec);
  return response.result_int();
}

std::optional<boost::json::value> WsClient::next(std::chrono::milliseconds timeout) {
  if (impl_->close_code >= 0) return std::nullopt;
  if (!impl_->read_pending) {
    impl_->read_pending = true;
    impl_->read_done = false;
    impl_->ws.async_read(impl_->buffer,
                         [impl = impl_.get()](boost::system::error_code ec, std::size_t) {
                           impl->read_done = true;
                           impl->read_error = ec;
                         });
  }
  impl_->ioc.restart();
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!impl_->read_done && std::chrono::steady_clock::now() < deadline) {
    impl_->ioc.run_for(std::chrono::milliseconds(20));
    impl_->ioc.restart();
  }
  if (!impl_->read_done) return std::nullopt;
  impl_->read_pending = false;
  if (impl_->read_error) {
    if (impl_->read_error == websocket::error::closed) {
      impl_->close_code = impl_->ws.reason().code;
      impl_->close_reason = std::string(impl_->ws.reason().reason.c_str());
    } else {
      impl_->close_code = 1006;  // gone without a close frame
    }
    return std::nullopt;
  }
  std::string text = beast::buffers_to_string(impl_->buffer.data());
  impl_->buffer.consume(impl_->buffer.size());
  return parse_event(text);
}

std::optional<boost::json::value> WsClient::next_of_type(const std::string& type,
                                                         std::chrono::milliseconds timeout) {
  return next_event_of_type(*this, type, timeout);
}

void WsClient::send_text(const std::string& text) {
  impl_->ws.text(true);
  impl_->ws.write(asio::buffer(text));
}

int WsClient::close_code() const {
  return impl_->close_code;
}

std::string WsClient::close_reason() const {
  return impl_->close_reason;
}

// ---- RawWs ----

RawWs::RawWs(unsigned short port, const std::string& target, const std::string& authorization,
             int receive_buffer_bytes)
    : fd_(connect_loopback(port, receive_buffer_bytes)) {
  std::string extra =
      "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
      "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n";
  if (!authorization.empty()) extra += "Authorization: " + authorization + "\r\n";
  write_all(fd_, request_head(target, {}, extra));
  while (buffer_.find("\r\n\r\n") == std::string::npos) {
    if (read_some(fd_, buffer_, 5s) <= 0) throw std::runtime_error("no answer to the upgrade");
  }
  auto end = buffer_.find("\r\n\r\n");
  status_ = status_of(buffer_.substr(0, end));
  buffer_.erase(0, end + 4);
}

RawWs::~RawWs() {
  if (fd_ >= 0) ::close(fd_);
}

void RawWs::send_frame(std::uint8_t opcode, const std::string& payload, bool fin, bool masked) {
  std::string frame;
  frame.push_back(static_cast<char>((fin ? 0x80 : 0) | opcode));
  std::uint8_t mask_bit = masked ? 0x80 : 0;
  if (payload.size() < 126) {
    frame.push_back(static_cast<char>(mask_bit | payload.size()));
  } else if (payload.size() <= 0xFFFF) {
    frame.push_back(static_cast<char>(mask_bit | 126));
    frame.push_back(static_cast<char>(payload.size() >> 8));
    frame.push_back(static_cast<char>(payload.size() & 0xFF));
  } else {
    frame.push_back(static_cast<char>(mask_bit | 127));
    for (int shift = 56; shift >= 0; shift -= 8) {
      frame.push_back(static_cast<char>((payload.size() >> shift) & 0xFF));
    }
  }
  if (!masked) {
    frame += payload;
  } else {
    static std::mt19937 random{42};
    char mask[4];
    for (char& byte : mask) byte = static_cast<char>(random());
    frame.append(mask, 4);
    for (std::size_t i = 0; i < payload.size(); ++i) {
      frame.push_back(static_cast<char>(payload[i] ^ mask[i % 4]));
    }
  }
  send_bytes(frame);
}

void RawWs::send_bytes(const std::string& bytes) {
  write_all(fd_, bytes);
}

bool RawWs::fill(std::chrono::milliseconds timeout) {
  return read_some(fd_, buffer_, timeout) > 0;
}

std::optional<RawWs::Frame> RawWs::read_frame(std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    if (buffer_.size() >= 2) {
      std::size_t length = static_cast<std::uint8_t>(buffer_[1]) & 0x7F;
      std::size_t header = 2;
      if (length == 126 && buffer_.size() >= 4) {
        length =
            (static_cast<std::uint8_t>(buffer_[2]) << 8) | static_cast<std::uint8_t>(buffer_[3]);
        header = 4;
      } else if (length == 127 && buffer_.size() >= 10) {
        length = 0;
        for (int i = 2; i < 10; ++i) length = (length << 8) | static_cast<std::uint8_t>(buffer_[i]);
        header = 10;
      }
      if (length < 126 || header > 2) {
        if (buffer_.size() >= header + length) {
          Frame frame{static_cast<std::uint8_t>(buffer_[0] & 0x0F), buffer_.substr(header, length)};
          buffer_.erase(0, header + length);
          return frame;
        }
      }
    }
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0 || !fill(left)) return std::nullopt;
  }
}

int RawWs::read_until_close(std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    auto frame = read_frame(left);
    if (!frame) return -1;
    if (frame->opcode == 0x8) {
      if (frame->payload.size() < 2) return 1005;
      return (static_cast<std::uint8_t>(frame->payload[0]) << 8) |
             static_cast<std::uint8_t>(frame->payload[1]);
    }
  }
}

bool RawWs::wait_disconnected(std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return false;
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) return false;
    char chunk[4096];
    ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
    if (n <= 0) return true;
  }
}

// ---- SseClient ----

SseClient::SseClient(unsigned short port, const std::string& target, const Headers& headers)
    : fd_(connect_loopback(port)) {
  write_all(fd_, request_head(target, headers, ""));
  while (raw_.find("\r\n\r\n") == std::string::npos) {
    if (read_some(fd_, raw_, 5s) <= 0) throw std::runtime_error("no answer to the SSE request");
  }
  auto end = raw_.find("\r\n\r\n");
  std::string head = raw_.substr(0, end);
  raw_.erase(0, end + 4);
  status_ = status_of(head);
  std::string lower = head;
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (auto at = lower.find("content-type: "); at != std::string::npos) {
    content_type_ = head.substr(at + 14, head.find("\r\n", at) - at - 14);
  }
}

SseClient::~SseClient() {
  if (fd_ >= 0) ::close(fd_);
}

// De-chunks what has arrived into body_; reads more when nothing is complete.
bool SseClient::fill(std::chrono::milliseconds timeout) {
  for (;;) {
    auto line_end = raw_.find("\r\n");
    if (line_end != std::string::npos) {
      std::size_t size = std::stoul(raw_.substr(0, line_end), nullptr, 16);
      if (size == 0) {
        finished_ = true;
        return false;
      }
      if (raw_.size() >= line_end + 2 + size + 2) {
        body_ += raw_.substr(line_end + 2, size);
        raw_.erase(0, line_end + 2 + size + 2);
        return true;
      }
    }
    int got = read_some(fd_, raw_, timeout);
    if (got < 0) finished_ = true;
    if (got <= 0) return false;
  }
}

std::optional<std::string> SseClient::next_line(std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    if (auto end = body_.find('\n'); end != std::string::npos) {
      std::string line = body_.substr(0, end);
      body_.erase(0, end + 1);
      return line;
    }
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (finished_ || left.count() <= 0 || !fill(left)) return std::nullopt;
  }
}

std::optional<boost::json::value> SseClient::next(std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  std::string data;
  for (;;) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    auto line = next_line(left);
    if (!line) return std::nullopt;
    if (line->empty()) {
      if (!data.empty()) return parse_event(data);
      continue;
    }
    if (line->front() == ':') {
      ++comments_;
    } else if (line->rfind("data: ", 0) == 0) {
      data += line->substr(6);
    }
  }
}

std::optional<boost::json::value> SseClient::next_of_type(const std::string& type,
                                                          std::chrono::milliseconds timeout) {
  return next_event_of_type(*this, type, timeout);
}

bool SseClient::ended(std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!finished_) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return false;
    body_.clear();  // events before the end do not matter here
    fill(left);
  }
  return true;
}

}  // namespace herald::test
