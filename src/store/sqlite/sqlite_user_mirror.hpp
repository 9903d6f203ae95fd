// An in-memory mirror of each user's record and unread counters, so that GET /me needs no
// SQLite read transaction. Exact because this process is the database's only writer: every
// write that changes a user or their counters drops the user's entry after it commits.
// A read that raced with such a write cannot put back what it read: each shard counts its
// invalidations, and an entry read before one is not stored.
#pragma once

#include <array>
#include <cstdint>
#include <mutex>
#include <optional>
#include <unordered_map>
#include <utility>
#include <vector>

#include "core/model.hpp"

namespace herald::sqlite {

class UserMirror {
 public:
  using Value = std::pair<User, UnreadCounts>;

  std::optional<Value> find(Id user) const;
  // The shard's generation, to pass to put() with a value read after this call.
  std::uint64_t generation(Id user) const;
  void put(Id user, const Value& value, std::uint64_t generation_before_read);
  void invalidate(Id user);
  void invalidate(const std::vector<Id>& users);
  void clear();

 private:
  struct Shard {
    mutable std::mutex mutex;
    std::uint64_t generation = 0;
    std::unordered_map<Id, Value> values;
  };
  static constexpr std::size_t kShards = 16;
  static constexpr std::size_t kMaxPerShard = 65536;
  Shard& shard_of(Id user) const { return shards_[static_cast<std::size_t>(user) % kShards]; }

  mutable std::array<Shard, kShards> shards_;
};

}  // namespace herald::sqlite
