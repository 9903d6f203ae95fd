// One live session on its I/O thread: a WebSocket or an SSE stream over a plain non-blocking
// socket. It holds no read buffer while idle (it waits for readability, then reads into its
// thread's shared buffer) and no coroutine frame; what it keeps is its identity, a bounded queue
// of shared frames, and the bytes of a client frame that arrived in parts.
// Every member runs on the session's own I/O thread.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include <boost/asio/ip/tcp.hpp>

#include "live/hub.hpp"
#include "live/live_frame.hpp"
#include "live/websocket_codec.hpp"

namespace herald::live {

class Shard;

class Session final : public std::enable_shared_from_this<Session> {
 public:
  Session(Shard& shard, boost::asio::ip::tcp::socket socket, Protocol protocol, std::uint64_t id,
          SessionIdentity identity);

  // The handshake has been answered; `principal` is empty for a WebSocket that must say hello.
  // `pending` holds bytes the client sent after its request.
  void start(std::optional<Principal> principal, std::string_view pending);

  // Queues an event; false if the session is not open or could not take it.
  bool deliver(const FramePtr& frame);
  void drop(DropReason reason);
  // Heartbeats, idle and hello timeouts; called about once a second. `now` is steady-clock ms.
  void on_tick(std::int64_t now);

  std::uint64_t id() const noexcept { return id_; }
  bool is_open() const noexcept { return state_ == State::open; }
  Protocol protocol() const noexcept { return protocol_; }
  // Set once, before the session is registered; read by any thread afterwards.
  const SessionIdentity& identity() const noexcept { return identity_; }
  TimeMs connected_at() const noexcept { return connected_at_; }
  TimeMs last_activity() const noexcept { return last_activity_.load(std::memory_order_relaxed); }

  Shard& shard() noexcept { return shard_; }
  std::size_t shard_slot = 0;  // the shard's bookkeeping

 private:
  enum class State : std::uint8_t { awaiting_hello, open, closing, closed };

  void wait_readable();
  void on_readable();
  void consume(std::span<char> bytes);
  void on_frame(const ClientFrame& frame);
  void on_message(Opcode opcode, std::string_view payload);
  void on_hello(std::string_view token, std::string_view ticket, std::string_view client,
                std::string_view system_user);
  bool take_token();

  void open_as(const Principal& principal);
  bool enqueue(const FramePtr& frame, bool control);
  void flush();
  void wait_writable();
  const std::string& bytes_of(const FramePtr& frame) const;

  // Sends a close frame (WebSocket) or ends the stream (SSE), then closes once it is written.
  void fail(std::uint16_t code, std::string_view reason);
  void begin_closing(const FramePtr& last_words);
  void close_now();

  Shard& shard_;
  boost::asio::ip::tcp::socket socket_;
  std::uint64_t id_;
  SessionIdentity identity_;
  TimeMs connected_at_;
  std::atomic<TimeMs> last_activity_;
  std::int64_t started_ = 0;       // steady ms
  std::int64_t last_inbound_ = 0;  // steady ms
  std::int64_t last_heartbeat_ = 0;
  std::int64_t closing_since_ = 0;
  double tokens_ = 0;
  std::int64_t tokens_at_ = 0;

  std::vector<FramePtr> queue_;  // frames not yet fully written; the first from head_offset_
  std::size_t head_offset_ = 0;
  std::size_t queued_bytes_ = 0;
  std::string partial_;  // an incomplete client frame
  std::string message_;  // a fragmented client message being assembled
  Opcode message_opcode_ = Opcode::text;
  bool in_message_ = false;

  Protocol protocol_;
  State state_ = State::awaiting_hello;
  bool write_waiting_ = false;
  bool shutdown_after_flush_ = false;
};

}  // namespace herald::live
