#include "live/session.hpp"

#include <algorithm>
#include <array>

#include <spdlog/spdlog.h>
#include <boost/asio/error.hpp>
#include <boost/asio/post.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "common/metrics.hpp"
#include "common/time.hpp"
#include "common/utf8.hpp"
#include "live/event_json.hpp"
#include "live/hub_impl.hpp"
#include "live/shard.hpp"

namespace herald::live {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

namespace {

constexpr std::int64_t kClosingGraceMs = 5000;
constexpr std::size_t kMaxFrameHeader = 14;
constexpr std::size_t kMaxIdentityField = 128;

}  // namespace

Session::Session(Shard& shard, tcp::socket socket, Protocol protocol, std::uint64_t id,
                 SessionIdentity identity)
    : shard_(shard),
      socket_(std::move(socket)),
      id_(id),
      identity_(std::move(identity)),
      connected_at_(system_now_ms()),
      last_activity_(connected_at_),
      protocol_(protocol) {}

void Session::start(std::optional<Principal> principal, std::string_view pending) {
  boost::system::error_code ec;
  socket_.non_blocking(true, ec);
  socket_.set_option(tcp::no_delay(true), ec);
  socket_.set_option(asio::socket_base::keep_alive(true), ec);
  started_ = last_inbound_ = last_heartbeat_ = tokens_at_ = shard_.now();
  tokens_ = shard_.hub().options().client_frame_burst;
  shard_.add(this);
  metrics().live_sessions_open.fetch_add(1, std::memory_order_relaxed);
  if (principal) open_as(*principal);
  if (!pending.empty() && state_ != State::closed) {
    std::string copy(pending);
    consume(std::span<char>(copy.data(), copy.size()));
  }
  if (state_ != State::closed) wait_readable();
}

void Session::open_as(const Principal& principal) {
  identity_.user_id = principal.user_id;
  identity_.username = principal.username;
  state_ = State::open;
  shard_.hub().register_open(shared_from_this());
  shard_.index_user(this);
  const auto& options = shard_.hub().options();
  enqueue(
      make_event_frame(welcome_event(format_session_id(id_), identity_, options.heartbeat.count())),
      true);
}

// ---- reading ----

void Session::wait_readable() {
  socket_.async_wait(tcp::socket::wait_read,
                     [self = shared_from_this()](const boost::system::error_code& ec) {
                       if (self->state_ == State::closed) return;
                       if (ec) return self->close_now();
                       self->on_readable();
                     });
}

void Session::on_readable() {
  auto& buffer = shard_.read_buffer();
  // Read until the socket would block, since the reactor reports readiness by edges; but after a
  // few buffers, let the thread's other sessions run first and come back.
  for (int reads = 0; reads < 16; ++reads) {
    boost::system::error_code ec;
    std::size_t n = socket_.read_some(asio::buffer(buffer), ec);
    if (ec == asio::error::would_block || ec == asio::error::try_again) return wait_readable();
    if (ec || n == 0) return close_now();
    consume(std::span<char>(buffer.data(), n));
    if (state_ == State::closed) return;
  }
  asio::post(shard_.context(), [self = shared_from_this()] {
    if (self->state_ != State::closed) self->on_readable();
  });
}

// Parses and answers what arrived. After a failure the session is closing and discards the rest.
void Session::consume(std::span<char> bytes) {
  std::int64_t now = shard_.now();
  last_inbound_ = now;
  last_activity_.store(system_now_ms(), std::memory_order_relaxed);
  if (state_ == State::closing || state_ == State::closed) return;  // until the client closes
  if (protocol_ == Protocol::sse) return;  // an SSE client has nothing to say
  std::span<char> input = bytes;
  if (!partial_.empty()) {
    partial_.append(bytes.data(), bytes.size());
    input = std::span<char>(partial_.data(), partial_.size());
  }
  std::size_t max_message = shard_.hub().options().max_client_message;
  std::size_t offset = 0;
  while (offset < input.size()) {
    auto result = decode_client_frame(input.subspan(offset), max_message);
    if (result.status == DecodeStatus::need_more) break;
    if (result.status == DecodeStatus::protocol_error) {
      return fail(close_code::protocol_error, "malformed frame");
    }
    if (result.status == DecodeStatus::too_big) return fail(close_code::too_big, "frame too large");
    offset += result.consumed;
    on_frame(result.frame);
    if (state_ == State::closing || state_ == State::closed) return;
  }
  std::size_t rest = input.size() - offset;
  if (rest == 0) {
    std::string().swap(partial_);  // hold no memory while idle
  } else if (input.data() == partial_.data()) {
    partial_.erase(0, offset);
  } else {
    partial_.assign(input.data() + offset, rest);
  }
  if (partial_.size() > max_message + kMaxFrameHeader) fail(close_code::too_big, "frame too large");
}

bool Session::take_token() {
  const auto& options = shard_.hub().options();
  std::int64_t now = shard_.now();
  tokens_ =
      std::min(options.client_frame_burst, tokens_ + static_cast<double>(now - tokens_at_) /
                                                         1000.0 * options.client_frames_per_second);
  tokens_at_ = now;
  if (tokens_ < 1) return false;
  tokens_ -= 1;
  return true;
}

void Session::on_frame(const ClientFrame& frame) {
  if (frame.opcode == Opcode::close) {
    std::uint16_t code = close_code_of(frame.payload);
    if (code == 0) {
      fail(close_code::protocol_error, "bad close frame");
    } else {
      fail(close_code::normal, "");
    }
    return;
  }
  if (!take_token()) {
    metrics().live_rate_limited.fetch_add(1, std::memory_order_relaxed);
    fail(close_code::policy_violation, "too many frames");
    return;
  }
  if (frame.opcode == Opcode::pong) return;
  if (frame.opcode == Opcode::ping) {
    auto pong = std::make_shared<LiveFrame>();
    pong->websocket = encode_frame(Opcode::pong, frame.payload);
    enqueue(pong, true);
    return;
  }
  std::size_t max_message = shard_.hub().options().max_client_message;
  if (frame.opcode == Opcode::continuation) {
    if (!in_message_) {
      fail(close_code::protocol_error, "continuation without a message");
      return;
    }
    if (message_.size() + frame.payload.size() > max_message) {
      fail(close_code::too_big, "message too large");
      return;
    }
    message_.append(frame.payload);
    if (!frame.fin) return;
    in_message_ = false;
    std::string whole;
    whole.swap(message_);
    return on_message(message_opcode_, whole);
  }
  if (in_message_) {
    fail(close_code::protocol_error, "a new message inside a fragmented one");
    return;
  }
  if (!frame.fin) {
    in_message_ = true;
    message_opcode_ = frame.opcode;
    message_.assign(frame.payload);
    return;
  }
  on_message(frame.opcode, frame.payload);
}

void Session::on_message(Opcode opcode, std::string_view payload) {
  if (opcode == Opcode::binary) {
    fail(close_code::unsupported_data, "binary messages are not accepted");
    return;
  }
  if (!is_valid_utf8(payload)) {
    fail(close_code::invalid_payload, "text is not UTF-8");
    return;
  }
  boost::system::error_code ec;
  boost::json::value value = boost::json::parse(payload, ec);
  const boost::json::object* object = ec ? nullptr : value.if_object();
  const boost::json::string* type = nullptr;
  if (object) {
    if (auto* found = object->if_contains("type")) type = found->if_string();
  }
  auto text_of = [&](std::string_view key) -> std::string_view {
    if (!object) return {};
    auto* found = object->if_contains(key);
    auto* text = found ? found->if_string() : nullptr;
    return text ? std::string_view(*text) : std::string_view();
  };
  if (state_ == State::awaiting_hello) {
    if (!type || *type != "hello") {
      fail(close_code::policy_violation, "authenticate first");
      return;
    }
    return on_hello(text_of("token"), text_of("ticket"), text_of("client"), text_of("system_user"));
  }
  std::string_view problem;
  if (!type) {
    problem = "a message is a JSON object with a type";
  } else if (*type == "ping") {
    enqueue(pong_frame(), true);
    return;
  } else if (*type == "hello") {
    problem = "the session is already authenticated";
  } else {
    problem = "unknown message type";
  }
  enqueue(make_event_frame(error_event("bad_request", problem)), true);
}

void Session::on_hello(std::string_view token, std::string_view ticket, std::string_view client,
                       std::string_view system_user) {
  if (client.size() > kMaxIdentityField || system_user.size() > kMaxIdentityField) {
    fail(close_code::policy_violation, "client and system_user are at most 128 bytes");
    return;
  }
  auto principal = shard_.hub().authenticate_hello(token, ticket);
  if (!principal) {
    fail(close_code::policy_violation, "authentication failed");
    return;
  }
  if (!client.empty()) identity_.client = std::string(client);
  if (!system_user.empty()) identity_.system_user = std::string(system_user);
  open_as(*principal);
}

// ---- writing ----

const std::string& Session::bytes_of(const FramePtr& frame) const {
  return protocol_ == Protocol::websocket ? frame->websocket : frame->sse;
}

bool Session::deliver(const FramePtr& frame) {
  if (state_ != State::open) return false;
  return enqueue(frame, false);
}

// `control` frames (welcome, pong, the last words) bypass the queue limits.
bool Session::enqueue(const FramePtr& frame, bool control) {
  if (state_ == State::closed) return false;
  const std::string& bytes = bytes_of(frame);
  if (bytes.empty()) return true;  // nothing to say in this protocol
  if (queue_.empty()) {
    boost::system::error_code ec;
    std::size_t written = socket_.write_some(asio::buffer(bytes), ec);
    if (ec && ec != asio::error::would_block && ec != asio::error::try_again) {
      close_now();
      return false;
    }
    if (written == bytes.size()) return true;
    queue_.push_back(frame);
    head_offset_ = written;
    queued_bytes_ = bytes.size() - written;
    wait_writable();
    return true;
  }
  const auto& options = shard_.hub().options();
  if (!control && (queue_.size() >= options.queue_frames ||
                   queued_bytes_ + bytes.size() > options.queue_bytes)) {
    metrics().live_slow_consumers.fetch_add(1, std::memory_order_relaxed);
    spdlog::info("live session {} of '{}' dropped: it does not read fast enough",
                 format_session_id(id_), identity_.username);
    drop(DropReason::slow_consumer);
    return false;
  }
  queue_.push_back(frame);
  queued_bytes_ += bytes.size();
  return true;
}

void Session::wait_writable() {
  if (write_waiting_) return;
  write_waiting_ = true;
  socket_.async_wait(tcp::socket::wait_write,
                     [self = shared_from_this()](const boost::system::error_code& ec) {
                       self->write_waiting_ = false;
                       if (self->state_ == State::closed) return;
                       if (ec) return self->close_now();
                       self->flush();
                     });
}

void Session::flush() {
  while (!queue_.empty()) {
    std::array<asio::const_buffer, 16> buffers;
    std::size_t count = 0;
    for (; count < buffers.size() && count < queue_.size(); ++count) {
      const std::string& bytes = bytes_of(queue_[count]);
      std::size_t skip = count == 0 ? head_offset_ : 0;
      buffers[count] = asio::buffer(bytes.data() + skip, bytes.size() - skip);
    }
    boost::system::error_code ec;
    std::size_t written =
        socket_.write_some(std::span<const asio::const_buffer>(buffers.data(), count), ec);
    if (ec == asio::error::would_block || ec == asio::error::try_again) return wait_writable();
    if (ec) return close_now();
    queued_bytes_ -= written;
    std::size_t done = 0;
    while (done < queue_.size()) {
      std::size_t left = bytes_of(queue_[done]).size() - head_offset_;
      if (written < left) {
        head_offset_ += written;
        break;
      }
      written -= left;
      head_offset_ = 0;
      ++done;
    }
    queue_.erase(queue_.begin(), queue_.begin() + static_cast<std::ptrdiff_t>(done));
  }
  if (queue_.capacity() > 8) std::vector<FramePtr>().swap(queue_);  // after a burst, give it back
  if (shutdown_after_flush_) {
    boost::system::error_code ignored;
    socket_.shutdown(tcp::socket::shutdown_send, ignored);
  }
}

// ---- ending ----

void Session::drop(DropReason reason) {
  if (state_ == State::closing || state_ == State::closed) return;
  if (state_ == State::awaiting_hello) return close_now();
  begin_closing(dropped_frame(reason));
}

void Session::fail(std::uint16_t code, std::string_view reason) {
  if (state_ == State::closing || state_ == State::closed) return;
  auto last = std::make_shared<LiveFrame>();
  last->websocket = encode_close_frame(code, reason);
  last->sse = "0\r\n\r\n";
  begin_closing(last);
}

void Session::begin_closing(const FramePtr& last_words) {
  // Keep a frame that is partly written (or the stream would be corrupt); drop the rest.
  if (queue_.size() > 1) {
    for (std::size_t i = 1; i < queue_.size(); ++i) queued_bytes_ -= bytes_of(queue_[i]).size();
    queue_.resize(1);
  }
  state_ = State::closing;
  closing_since_ = shard_.now();
  // A closing session is no longer listed or counted, whether or not its client reads on.
  shard_.hub().unregister(*this);
  shutdown_after_flush_ = true;
  enqueue(last_words, true);
  if (queue_.empty() && state_ != State::closed) {
    boost::system::error_code ignored;
    socket_.shutdown(tcp::socket::shutdown_send, ignored);
  }
}

void Session::close_now() {
  if (state_ == State::closed) return;
  state_ = State::closed;
  boost::system::error_code ignored;
  socket_.close(ignored);
  std::vector<FramePtr>().swap(queue_);
  std::string().swap(partial_);
  std::string().swap(message_);
  metrics().live_sessions_open.fetch_sub(1, std::memory_order_relaxed);
  shard_.hub().unregister(*this);
  shard_.remove_later(shared_from_this());
}

void Session::on_tick(std::int64_t now) {
  const auto& options = shard_.hub().options();
  switch (state_) {
    case State::closed:
      return;
    case State::closing:
      if (now - closing_since_ > kClosingGraceMs) close_now();
      return;
    case State::awaiting_hello:
      if (now - started_ > std::chrono::milliseconds(options.hello_timeout).count()) {
        fail(close_code::policy_violation, "authentication timeout");
      }
      return;
    case State::open:
      break;
  }
  std::int64_t heartbeat = std::chrono::milliseconds(options.heartbeat).count();
  if (protocol_ == Protocol::websocket &&
      now - last_inbound_ > std::chrono::milliseconds(options.idle_timeout).count()) {
    metrics().live_idle_timeouts.fetch_add(1, std::memory_order_relaxed);
    return close_now();
  }
  bool quiet = protocol_ == Protocol::sse || now - last_inbound_ >= heartbeat;
  if (quiet && now - last_heartbeat_ >= heartbeat) {
    last_heartbeat_ = now;
    enqueue(heartbeat_frame(), true);
  }
}

}  // namespace herald::live
