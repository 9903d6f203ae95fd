#include "store/sqlite/sqlite_pending_fanouts.hpp"

#include <algorithm>

namespace herald::sqlite {

void PendingFanouts::add(Id message, std::vector<Id> recipients) {
  std::lock_guard lock(mutex_);
  copies_ += recipients.size();
  pending_[message] = std::move(recipients);
  count_.store(static_cast<int>(pending_.size()), std::memory_order_release);
}

void PendingFanouts::finish(Id message) {
  {
    std::lock_guard lock(mutex_);
    if (auto found = pending_.find(message); found != pending_.end()) {
      copies_ -= found->second.size();
      pending_.erase(found);
    }
    count_.store(static_cast<int>(pending_.size()), std::memory_order_release);
  }
  finished_.notify_all();
}

void PendingFanouts::await(Id user) {
  if (count_.load(std::memory_order_acquire) == 0) return;
  std::unique_lock lock(mutex_);
  finished_.wait(lock, [&] { return !includes(user); });
}

bool PendingFanouts::empty() const {
  return count_.load(std::memory_order_acquire) == 0;
}

bool PendingFanouts::includes_user(Id user) const {
  if (empty()) return false;
  std::lock_guard lock(mutex_);
  return includes(user);
}

std::size_t PendingFanouts::copies() const {
  std::lock_guard lock(mutex_);
  return copies_;
}

bool PendingFanouts::includes(Id user) const {
  return std::any_of(pending_.begin(), pending_.end(), [user](const auto& entry) {
    return std::binary_search(entry.second.begin(), entry.second.end(), user);
  });
}

}  // namespace herald::sqlite
