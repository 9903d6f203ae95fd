#include "core/live_tickets.hpp"

#include "common/crypto.hpp"

namespace herald {
namespace {

std::string ticket_key(std::string_view ticket) {
  return to_hex(sha256(ticket));
}

}  // namespace

std::optional<LiveTickets::Issued> LiveTickets::issue(const Principal& principal, TimeMs now) {
  Issued issued{random_token(24), now + kLifetimeMs};
  std::lock_guard lock(mutex_);
  if (by_hash_.size() >= kMaxOutstanding) purge_expired(now);
  if (by_hash_.size() >= kMaxOutstanding) return std::nullopt;
  by_hash_.emplace(ticket_key(issued.ticket), Entry{principal, issued.expires_at});
  return issued;
}

std::optional<Principal> LiveTickets::redeem(std::string_view ticket, TimeMs now) {
  if (ticket.empty() || ticket.size() > 128) return std::nullopt;
  std::string key = ticket_key(ticket);
  std::lock_guard lock(mutex_);
  auto found = by_hash_.find(key);
  if (found == by_hash_.end()) return std::nullopt;
  Entry entry = std::move(found->second);
  by_hash_.erase(found);
  if (entry.expires_at <= now) return std::nullopt;
  return entry.principal;
}

void LiveTickets::purge_expired(TimeMs now) {
  std::erase_if(by_hash_, [now](const auto& item) { return item.second.expires_at <= now; });
}

}  // namespace herald
