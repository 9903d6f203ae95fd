// The live sessions of this node (WebSocket and SSE) and the fan-out of events to them.
// Each session lives on one I/O thread; each thread walks its own sessions, so publishing takes
// no global lock on the hot path. Every public member is thread-safe and never waits on the store.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/model.hpp"

namespace herald::net {
class IoPool;
}

namespace herald::live {

enum class Protocol { websocket, sse };
const char* protocol_name(Protocol protocol) noexcept;

enum class DropReason { dropped_by_admin, slow_consumer, server_shutdown };
const char* drop_reason_name(DropReason reason) noexcept;

// Who is at the other end, as far as the client tells (client and system user are its claims).
struct SessionIdentity {
  Id user_id = 0;
  std::string username;
  std::string client;
  std::string system_user;
  std::string remote_address;
};

struct SessionSnapshot {
  std::string id;
  Protocol protocol = Protocol::websocket;
  SessionIdentity identity;
  TimeMs connected_at = 0;
  TimeMs last_activity = 0;
};

struct HubOptions {
  std::chrono::seconds heartbeat{30};              // ping (or SSE comment) after this much quiet
  std::chrono::milliseconds idle_timeout{75'000};  // a WebSocket silent this long is closed
  std::chrono::seconds hello_timeout{10};
  std::size_t max_client_message = 4096;
  std::size_t queue_frames = 256;  // per session; beyond either limit the client is dropped
  std::size_t queue_bytes = 1024 * 1024;
  double client_frames_per_second = 20;
  double client_frame_burst = 40;
};

// Checks the token or the ticket of a WebSocket `hello` frame. Runs on an I/O thread.
using HelloAuthenticator =
    std::function<std::optional<Principal>(std::string_view token, std::string_view ticket)>;

class Hub {
 public:
  Hub(net::IoPool& pool, HubOptions options);
  ~Hub();
  Hub(const Hub&) = delete;
  Hub& operator=(const Hub&) = delete;

  void set_authenticator(HelloAuthenticator authenticator);
  const HubOptions& options() const noexcept;

  // Queues one event (a JSON object on one line) to every session of these users.
  void publish_to_users(std::vector<Id> users, std::string_view json);
  // Hands one event to every open session, or to one, and says to how many it went.
  // These wait for the I/O threads to take the frame: never call them from an I/O thread.
  std::size_t publish_to_all(std::string_view json);
  // nullopt when the session is not open on this node.
  std::optional<std::size_t> publish_to_session(std::string_view session_id, std::string_view json);

  // Sends `session.dropped` and closes; false when the session is not open on this node.
  bool drop(std::string_view session_id, DropReason reason);
  // Drops every session, for shutdown.
  void drop_all(DropReason reason);

  std::optional<SessionSnapshot> find(std::string_view session_id) const;
  // Open sessions in the order they opened, after `after_id` (a cursor), whose username or
  // system user name equals `user` (case-insensitive) when it is not empty.
  std::vector<SessionSnapshot> list(std::string_view user, std::string_view after_id,
                                    std::size_t limit) const;
  bool has_sessions(Id user) const;
  // Those of `users` with a session open on this node, in id order: what a publisher needs to
  // build an event for at all (most recipients of most sends are not online).
  std::vector<Id> online_among(std::vector<Id> users) const;
  std::size_t size() const;

  class Impl;
  Impl& impl() noexcept { return *impl_; }

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace herald::live
