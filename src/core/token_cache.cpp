#include "core/token_cache.hpp"

#include <algorithm>
#include <cstring>
#include <mutex>

namespace herald {

std::size_t TokenCache::HashOfDigest::operator()(const Sha256& digest) const noexcept {
  std::size_t value;  // the digest is already uniformly random
  std::memcpy(&value, digest.data() + 8, sizeof value);
  return value;
}

std::optional<Principal> TokenCache::find(const Sha256& hash, TimeMs now) const {
  Shard& shard = shard_of(hash);
  std::shared_lock lock(shard.mutex);
  auto it = shard.entries.find(hash);
  if (it == shard.entries.end() || it->second.valid_until <= now) return std::nullopt;
  return it->second.principal;
}

void TokenCache::put(const Sha256& hash, const Principal& principal, TimeMs now) {
  Shard& shard = shard_of(hash);
  std::unique_lock lock(shard.mutex);
  if (shard.entries.size() >= kMaxEntriesPerShard) {
    std::erase_if(shard.entries,
                  [&](const auto& entry) { return entry.second.valid_until <= now; });
    if (shard.entries.size() >= kMaxEntriesPerShard) shard.entries.clear();
  }
  shard.entries[hash] = Entry{principal, std::min(principal.token_expires_at, now + ttl_ms_)};
}

void TokenCache::erase(const Sha256& hash) {
  Shard& shard = shard_of(hash);
  std::unique_lock lock(shard.mutex);
  shard.entries.erase(hash);
}

void TokenCache::erase_user(Id user) {
  for (Shard& shard : shards_) {
    std::unique_lock lock(shard.mutex);
    std::erase_if(shard.entries,
                  [&](const auto& entry) { return entry.second.principal.user_id == user; });
  }
}

}  // namespace herald
