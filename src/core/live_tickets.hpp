// Short-lived, single-use tickets that let a browser open a live session (a WebSocket cannot carry
// an Authorization header). Only their SHA-256 is kept, in memory, on the node that issued them.
#pragma once

#include <cstddef>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/model.hpp"

namespace herald {

class LiveTickets {
 public:
  static constexpr TimeMs kLifetimeMs = 30'000;
  static constexpr std::size_t kMaxOutstanding = 100'000;

  struct Issued {
    std::string ticket;
    TimeMs expires_at = 0;
  };

  // Thread-safe. When too many tickets are outstanding, the oldest expired ones go first, then
  // the issue fails (nullopt) rather than let memory grow.
  std::optional<Issued> issue(const Principal& principal, TimeMs now);
  // The ticket's holder, once; nullopt for an unknown, used or expired ticket.
  std::optional<Principal> redeem(std::string_view ticket, TimeMs now);

 private:
  struct Entry {
    Principal principal;
    TimeMs expires_at = 0;
  };
  void purge_expired(TimeMs now);

  std::mutex mutex_;
  std::unordered_map<std::string, Entry> by_hash_;
};

}  // namespace herald
