// Live-session clients for tests: a WebSocket client on Beast (an implementation independent of
// the server's own framing), a raw-socket WebSocket for frames no proper client would send, and
// a Server-Sent Events reader.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <boost/json/value.hpp>

namespace herald::test {

using namespace std::chrono_literals;
using Headers = std::vector<std::pair<std::string, std::string>>;

class WsClient {
 public:
  // Connects to 127.0.0.1:port and upgrades at `target`; throws when the server refuses.
  WsClient(unsigned short port, const std::string& target, const Headers& headers = {});
  ~WsClient();
  WsClient(const WsClient&) = delete;
  WsClient& operator=(const WsClient&) = delete;

  // The status the server answers an upgrade with (101 when it upgrades).
  static int upgrade_status(unsigned short port, const std::string& target,
                            const Headers& headers = {});

  // The next event, or nullopt on timeout or once the server has closed.
  std::optional<boost::json::value> next(std::chrono::milliseconds timeout = 5s);
  // The next event of this type, skipping others.
  std::optional<boost::json::value> next_of_type(const std::string& type,
                                                 std::chrono::milliseconds timeout = 5s);
  void send_text(const std::string& text);
  // The close code the server sent, once closed; -1 before.
  int close_code() const;
  std::string close_reason() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// A WebSocket spoken by hand over a blocking socket.
class RawWs {
 public:
  // Upgrades; with `authorization` empty no credentials are sent.
  RawWs(unsigned short port, const std::string& target, const std::string& authorization,
        int receive_buffer_bytes = 0);
  ~RawWs();
  RawWs(const RawWs&) = delete;
  RawWs& operator=(const RawWs&) = delete;

  int status() const noexcept { return status_; }
  void send_frame(std::uint8_t opcode, const std::string& payload, bool fin = true,
                  bool masked = true);
  void send_bytes(const std::string& bytes);
  struct Frame {
    std::uint8_t opcode = 0;
    std::string payload;
  };
  // The next frame, or nullopt on timeout or end of stream.
  std::optional<Frame> read_frame(std::chrono::milliseconds timeout = 5s);
  // Reads frames until a close frame; its code, or -1.
  int read_until_close(std::chrono::milliseconds timeout = 5s);
  // True once the server has closed the TCP connection within `timeout`.
  bool wait_disconnected(std::chrono::milliseconds timeout);

 private:
  bool fill(std::chrono::milliseconds timeout);
  int fd_ = -1;
  int status_ = 0;
  std::string buffer_;
};

class SseClient {
 public:
  SseClient(unsigned short port, const std::string& target, const Headers& headers = {});
  ~SseClient();
  SseClient(const SseClient&) = delete;
  SseClient& operator=(const SseClient&) = delete;

  int status() const noexcept { return status_; }
  std::string content_type() const { return content_type_; }
  // The next `data:` event, or nullopt on timeout or at the end of the stream.
  std::optional<boost::json::value> next(std::chrono::milliseconds timeout = 5s);
  std::optional<boost::json::value> next_of_type(const std::string& type,
                                                 std::chrono::milliseconds timeout = 5s);
  // True once the stream has ended (last chunk or closed connection).
  bool ended(std::chrono::milliseconds timeout = 5s);
  // Comment lines (": ping") seen so far.
  int comments() const noexcept { return comments_; }

 private:
  bool fill(std::chrono::milliseconds timeout);
  std::optional<std::string> next_line(std::chrono::milliseconds timeout);
  int fd_ = -1;
  int status_ = 0;
  std::string content_type_;
  std::string raw_;   // bytes read, not yet de-chunked
  std::string body_;  // de-chunked body, not yet split into lines
  bool finished_ = false;
  int comments_ = 0;
};

}  // namespace herald::test
