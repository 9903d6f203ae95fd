// The hub's insides, for the live layer and for the HTTP connection that hands sockets over.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include <boost/asio/ip/tcp.hpp>

#include "live/hub.hpp"
#include "live/shard.hpp"

namespace herald::live {

class Session;

class Hub::Impl {
 public:
  Impl(net::IoPool& pool, HubOptions options);

  const HubOptions& options() const noexcept { return options_; }

  // Takes over an upgraded connection on its own I/O thread (the socket's). The response to the
  // handshake has been written; `pending` is what the client sent after its request.
  void adopt(boost::asio::ip::tcp::socket socket, Protocol protocol, SessionIdentity identity,
             std::optional<Principal> principal, std::string_view pending);

  std::optional<Principal> authenticate_hello(std::string_view token, std::string_view ticket);

  // Called by sessions on their thread.
  void register_open(const std::shared_ptr<Session>& session);
  void unregister(const Session& session);

  std::vector<Shard*> shards();
  struct Entry {
    std::shared_ptr<Session> session;
    Shard* shard = nullptr;
  };
  std::optional<Entry> lookup(std::string_view session_id) const;
  std::vector<SessionSnapshot> list(std::string_view user, std::string_view after_id,
                                    std::size_t limit) const;
  bool has_sessions(Id user) const;
  std::vector<Id> online_among(std::vector<Id> users) const;
  std::size_t size() const;
  void set_authenticator(HelloAuthenticator authenticator);

 private:
  net::IoPool& pool_;
  HubOptions options_;
  std::vector<std::unique_ptr<Shard>> shards_;
  std::uint64_t id_prefix_;
  std::atomic<std::uint32_t> next_id_{0};
  HelloAuthenticator authenticator_;

  mutable std::mutex mutex_;
  std::map<std::uint64_t, Entry> open_;
  std::unordered_map<Id, int> sessions_per_user_;
};

std::string format_session_id(std::uint64_t id);
std::optional<std::uint64_t> parse_session_id(std::string_view text);
SessionSnapshot snapshot_of(const Session& session);

}  // namespace herald::live
