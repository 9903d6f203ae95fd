#include "live/shard.hpp"

#include <algorithm>

#include <boost/asio/post.hpp>

#include "common/metrics.hpp"
#include "live/hub_impl.hpp"
#include "live/session.hpp"

namespace herald::live {

namespace asio = boost::asio;

namespace {
constexpr std::size_t kReadBufferBytes = 64 * 1024;
// The tick judges silence and sends heartbeats. A quarter heartbeat at most, so that a ping goes
// out soon after a heartbeat of quiet and its answer has most of the idle window to arrive.
std::chrono::milliseconds tick_interval(const HubOptions& options) {
  return std::clamp<std::chrono::milliseconds>(std::chrono::milliseconds(options.heartbeat) / 4,
                                               std::chrono::milliseconds(10),
                                               std::chrono::seconds(1));
}
}  // namespace

Shard::Shard(Hub::Impl& hub, asio::io_context& context)
    : hub_(hub), context_(context), timer_(context), read_buffer_(kReadBufferBytes) {}

std::int64_t Shard::now() const {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

void Shard::start_ticking() {
  asio::post(context_, [this] {
    if (ticking_) return;
    ticking_ = true;
    tick();
  });
}

void Shard::tick() {
  if (!ticking_) return;
  std::int64_t now = this->now();
  for (Session* session : sessions_) session->on_tick(now);
  timer_.expires_after(tick_interval(hub_.options()));
  timer_.async_wait([this](const boost::system::error_code& ec) {
    if (!ec) tick();
  });
}

void Shard::add(Session* session) {
  session->shard_slot = sessions_.size();
  sessions_.push_back(session);
}

void Shard::index_user(Session* session) {
  by_user_[session->identity().user_id].push_back(session);
}

void Shard::remove_later(std::shared_ptr<Session> session) {
  asio::post(context_, [this, session = std::move(session)] { remove(session.get()); });
}

void Shard::remove(Session* session) {
  std::size_t slot = session->shard_slot;
  if (slot < sessions_.size() && sessions_[slot] == session) {
    sessions_[slot] = sessions_.back();
    sessions_[slot]->shard_slot = slot;
    sessions_.pop_back();
  }
  if (auto found = by_user_.find(session->identity().user_id); found != by_user_.end()) {
    auto& list = found->second;
    list.erase(std::remove(list.begin(), list.end(), session), list.end());
    if (list.empty()) by_user_.erase(found);
  }
}

std::size_t Shard::deliver_to_all(const FramePtr& frame) {
  std::size_t delivered = 0;
  for (Session* session : sessions_) delivered += session->deliver(frame) ? 1 : 0;
  metrics().live_frames_delivered.fetch_add(delivered, std::memory_order_relaxed);
  return delivered;
}

std::size_t Shard::deliver_to_users(const std::vector<Id>& users, const FramePtr& frame) {
  std::size_t delivered = 0;
  if (users.size() > by_user_.size()) {
    // Many recipients, few of them here: walk this thread's users instead.
    for (auto& [user, list] : by_user_) {
      if (!std::binary_search(users.begin(), users.end(), user)) continue;
      for (Session* session : list) delivered += session->deliver(frame) ? 1 : 0;
    }
  } else {
    for (Id user : users) {
      auto found = by_user_.find(user);
      if (found == by_user_.end()) continue;
      for (Session* session : found->second) delivered += session->deliver(frame) ? 1 : 0;
    }
  }
  metrics().live_frames_delivered.fetch_add(delivered, std::memory_order_relaxed);
  return delivered;
}

void Shard::drop_all(DropReason reason) {
  for (Session* session : sessions_) session->drop(reason);
}

}  // namespace herald::live
