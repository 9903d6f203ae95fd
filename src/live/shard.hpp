// The sessions of one I/O thread: the list the heartbeat walks, an index by user for targeted
// events, and the read buffer its sessions share. Touched only on that thread.
#pragma once

#include <cstdint>
#include <memory>
#include <unordered_map>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include "live/hub.hpp"
#include "live/live_frame.hpp"

namespace herald::live {

class Session;

class Shard {
 public:
  Shard(Hub::Impl& hub, boost::asio::io_context& context);

  boost::asio::io_context& context() noexcept { return context_; }
  Hub::Impl& hub() noexcept { return hub_; }
  std::vector<char>& read_buffer() noexcept { return read_buffer_; }
  std::int64_t now() const;  // steady ms

  void start_ticking();

  void add(Session* session);
  void index_user(Session* session);
  // Removal is deferred to a later turn of the loop, so a walk over the sessions never sees it.
  void remove_later(std::shared_ptr<Session> session);

  std::size_t deliver_to_all(const FramePtr& frame);
  // `users` sorted ascending.
  std::size_t deliver_to_users(const std::vector<Id>& users, const FramePtr& frame);
  void drop_all(DropReason reason);

 private:
  void tick();
  void remove(Session* session);

  Hub::Impl& hub_;
  boost::asio::io_context& context_;
  boost::asio::steady_timer timer_;
  bool ticking_ = false;
  std::vector<Session*> sessions_;
  std::unordered_map<Id, std::vector<Session*>> by_user_;
  std::vector<char> read_buffer_;
};

}  // namespace herald::live
