// Mail whose recipients' copies are written after the send's own commit (a large fan-out, see
// SqliteStore::save_message_async). A read of a recipient's mailbox waits here until those
// copies are committed, so that once the author has the 201, every recipient sees the mail, as
// if the copies had been written in the send's transaction. Costs one atomic load when nothing
// is pending.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <mutex>
#include <unordered_map>
#include <vector>

#include "core/model.hpp"

namespace herald::sqlite {

class PendingFanouts {
 public:
  // `recipients` sorted; registered before the send is acknowledged.
  void add(Id message, std::vector<Id> recipients);
  // The copies of `message` are committed (or their write failed): wakes the readers waiting.
  void finish(Id message);
  // Returns once no pending fan-out includes `user`.
  void await(Id user);
  bool empty() const;
  bool includes_user(Id user) const;
  // The copies still owed, all sends together.
  std::size_t copies() const;

 private:
  bool includes(Id user) const;  // with mutex_ held

  std::atomic<int> count_{0};
  mutable std::mutex mutex_;
  std::condition_variable finished_;
  std::unordered_map<Id, std::vector<Id>> pending_;
  std::size_t copies_ = 0;
};

}  // namespace herald::sqlite
