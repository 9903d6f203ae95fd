#include "store/sqlite/sqlite_user_mirror.hpp"

namespace herald::sqlite {

std::optional<UserMirror::Value> UserMirror::find(Id user) const {
  Shard& shard = shard_of(user);
  std::lock_guard lock(shard.mutex);
  auto it = shard.values.find(user);
  if (it == shard.values.end()) return std::nullopt;
  return it->second;
}

std::uint64_t UserMirror::generation(Id user) const {
  Shard& shard = shard_of(user);
  std::lock_guard lock(shard.mutex);
  return shard.generation;
}

void UserMirror::put(Id user, const Value& value, std::uint64_t generation_before_read) {
  Shard& shard = shard_of(user);
  std::lock_guard lock(shard.mutex);
  if (shard.generation != generation_before_read) return;  // a write may have overtaken the read
  if (shard.values.size() >= kMaxPerShard) shard.values.clear();
  shard.values[user] = value;
}

void UserMirror::invalidate(Id user) {
  Shard& shard = shard_of(user);
  std::lock_guard lock(shard.mutex);
  ++shard.generation;
  shard.values.erase(user);
}

void UserMirror::invalidate(const std::vector<Id>& users) {
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

void UserMirror::clear() {
  for (Shard& shard : shards_) {
    std::lock_guard lock(shard.mutex);
    ++shard.generation;
    shard.values.clear();
  }
}

}  // namespace herald::sqlite
