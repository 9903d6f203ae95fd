// An in-memory cache of authenticated tokens (by their SHA-256), so that checking a token on the
// hot path needs no store round trip. Entries live at most `ttl`, which bounds how long a token
// revoked on another node stays usable here. Thread-safe; sharded to keep lock contention low.
#pragma once

#include <array>
#include <optional>
#include <shared_mutex>
#include <unordered_map>

#include "common/crypto.hpp"
#include "core/model.hpp"

namespace herald {

class TokenCache {
 public:
  explicit TokenCache(TimeMs ttl_ms) : ttl_ms_(ttl_ms) {}

  std::optional<Principal> find(const Sha256& hash, TimeMs now) const;
  void put(const Sha256& hash, const Principal& principal, TimeMs now);
  void erase(const Sha256& hash);
  void erase_user(Id user);

 private:
  struct HashOfDigest {
    std::size_t operator()(const Sha256& digest) const noexcept;
  };
  struct Entry {
    Principal principal;
    TimeMs valid_until;
  };
  struct Shard {
    mutable std::shared_mutex mutex;
    std::unordered_map<Sha256, Entry, HashOfDigest> entries;
  };
  static constexpr std::size_t kShards = 16;
  static constexpr std::size_t kMaxEntriesPerShard = 16384;

  Shard& shard_of(const Sha256& hash) const { return shards_[hash[0] % kShards]; }

  TimeMs ttl_ms_;
  mutable std::array<Shard, kShards> shards_;
};

}  // namespace herald
