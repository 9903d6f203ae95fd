// In-memory mirrors of what the store knows of each user, so that the hottest reads (GET /me,
// the author and recipients of a send) need no SQLite read transaction. Exact because this
// process is the database's only writer: every write that changes what a mirror holds drops the
// user's entry after it commits. A read that raced with such a write cannot put back what it
// read: each shard counts its invalidations, and an entry read before one is not stored.
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

template <class V>
class Mirror {
 public:
  using Value = V;

  std::optional<Value> find(Id user) const {
    Shard& shard = shard_of(user);
    std::lock_guard lock(shard.mutex);
    auto it = shard.values.find(user);
    if (it == shard.values.end()) return std::nullopt;
    return it->second;
  }

  // The shard's generation, to pass to put() with a value read after this call.
  std::uint64_t generation(Id user) const {
    Shard& shard = shard_of(user);
    std::lock_guard lock(shard.mutex);
    return shard.generation;
  }

  void put(Id user, const Value& value, std::uint64_t generation_before_read) {
    Shard& shard = shard_of(user);
    std::lock_guard lock(shard.mutex);
    if (shard.generation != generation_before_read) return;  // a write may have overtaken it
    if (shard.values.size() >= kMaxPerShard) shard.values.clear();
    shard.values[user] = value;
  }

  void invalidate(Id user) {
    Shard& shard = shard_of(user);
    std::lock_guard lock(shard.mutex);
    ++shard.generation;
    shard.values.erase(user);
  }

  void invalidate(const std::vector<Id>& users) {
    for (Shard& shard : shards_) {
      std::lock_guard lock(shard.mutex);
      ++shard.generation;
    }
    for (Id user : users) {
      Shard& shard = shard_of(user);
      std::lock_guard lock(shard.mutex);
      shard.values.erase(user);
    }
  }

  void clear() {
    for (Shard& shard : shards_) {
      std::lock_guard lock(shard.mutex);
      ++shard.generation;
      shard.values.clear();
    }
  }

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

// A user's record and unread counters (GET /me, the live `counts`): dropped by every write that
// changes the user or their counters.
using UserMirror = Mirror<std::pair<User, UnreadCounts>>;
// A user's record alone (who a send is from and to): dropped only by edits and deletion.
using UserRecords = Mirror<User>;

}  // namespace herald::sqlite
