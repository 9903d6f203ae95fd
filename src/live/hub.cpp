#include "live/hub.hpp"

#include <algorithm>
#include <condition_variable>

#include <boost/asio/post.hpp>

#include "common/crypto.hpp"
#include "common/metrics.hpp"
#include "live/hub_impl.hpp"
#include "live/session.hpp"
#include "net/io_pool.hpp"

namespace herald::live {

namespace asio = boost::asio;

const char* protocol_name(Protocol protocol) noexcept {
  return protocol == Protocol::websocket ? "websocket" : "sse";
}

const char* drop_reason_name(DropReason reason) noexcept {
  switch (reason) {
    case DropReason::dropped_by_admin:
      return "dropped_by_admin";
    case DropReason::slow_consumer:
      return "slow_consumer";
    case DropReason::server_shutdown:
      return "server_shutdown";
  }
  return "dropped";
}

std::string format_session_id(std::uint64_t id) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out(16, '0');
  for (int i = 15; i >= 0; --i, id >>= 4) out[static_cast<std::size_t>(i)] = kHex[id & 0xF];
  return out;
}

std::optional<std::uint64_t> parse_session_id(std::string_view text) {
  if (text.size() != 16) return std::nullopt;
  std::uint64_t id = 0;
  for (char c : text) {
    int digit = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
    if (digit < 0) return std::nullopt;
    id = (id << 4) | static_cast<std::uint64_t>(digit);
  }
  return id;
}

SessionSnapshot snapshot_of(const Session& session) {
  return SessionSnapshot{format_session_id(session.id()), session.protocol(), session.identity(),
                         session.connected_at(), session.last_activity()};
}

namespace {

bool equals_ignoring_case(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; };
           return lower(x) == lower(y);
         });
}

// Counts what the I/O threads report, for the callers that say how many sessions got an event.
struct Tally {
  std::mutex mutex;
  std::condition_variable done;
  std::size_t pending = 0;
  std::size_t delivered = 0;

  void report(std::size_t count) {
    std::lock_guard lock(mutex);
    delivered += count;
    if (--pending == 0) done.notify_all();
  }
  std::size_t wait() {
    std::unique_lock lock(mutex);
    done.wait_for(lock, std::chrono::seconds(10), [this] { return pending == 0; });
    return delivered;
  }
};

}  // namespace

// ---- Hub::Impl ----

Hub::Impl::Impl(net::IoPool& pool, HubOptions options)
    : pool_(pool), options_(options), id_prefix_(0) {
  std::string seed = random_bytes(4);
  for (unsigned char c : seed) id_prefix_ = (id_prefix_ << 8) | c;
  id_prefix_ = (id_prefix_ & 0x7FFFFFFF) << 32;
  for (int i = 0; i < pool.size(); ++i) {
    shards_.push_back(std::make_unique<Shard>(*this, pool.context(i)));
    shards_.back()->start_ticking();
  }
}

void Hub::Impl::adopt(asio::ip::tcp::socket socket, Protocol protocol, SessionIdentity identity,
                      std::optional<Principal> principal, std::string_view pending) {
  int index = pool_.index_of(static_cast<const asio::io_context&>(socket.get_executor().context()));
  Shard& shard = *shards_.at(static_cast<std::size_t>(std::max(index, 0)));
  std::uint64_t id = id_prefix_ | next_id_.fetch_add(1, std::memory_order_relaxed);
  metrics().live_sessions_total.fetch_add(1, std::memory_order_relaxed);
  auto session =
      std::make_shared<Session>(shard, std::move(socket), protocol, id, std::move(identity));
  session->start(std::move(principal), pending);
}

std::optional<Principal> Hub::Impl::authenticate_hello(std::string_view token,
                                                       std::string_view ticket) {
  if (!authenticator_) return std::nullopt;
  return authenticator_(token, ticket);
}

void Hub::Impl::set_authenticator(HelloAuthenticator authenticator) {
  authenticator_ = std::move(authenticator);
}

void Hub::Impl::register_open(const std::shared_ptr<Session>& session) {
  std::lock_guard lock(mutex_);
  open_[session->id()] = Entry{session, &session->shard()};
  ++sessions_per_user_[session->identity().user_id];
}

void Hub::Impl::unregister(const Session& session) {
  std::lock_guard lock(mutex_);
  if (open_.erase(session.id()) == 0) return;
  auto found = sessions_per_user_.find(session.identity().user_id);
  if (found != sessions_per_user_.end() && --found->second <= 0) sessions_per_user_.erase(found);
}

std::vector<Shard*> Hub::Impl::shards() {
  std::vector<Shard*> out;
  for (auto& shard : shards_) out.push_back(shard.get());
  return out;
}

std::optional<Hub::Impl::Entry> Hub::Impl::lookup(std::string_view session_id) const {
  auto id = parse_session_id(session_id);
  if (!id) return std::nullopt;
  std::lock_guard lock(mutex_);
  auto found = open_.find(*id);
  if (found == open_.end()) return std::nullopt;
  return found->second;
}

std::vector<SessionSnapshot> Hub::Impl::list(std::string_view user, std::string_view after_id,
                                             std::size_t limit) const {
  std::vector<SessionSnapshot> out;
  std::lock_guard lock(mutex_);
  auto it = open_.begin();
  if (!after_id.empty()) {
    auto after = parse_session_id(after_id);
    it = after ? open_.upper_bound(*after) : open_.end();
  }
  for (; it != open_.end() && out.size() < limit; ++it) {
    const SessionIdentity& identity = it->second.session->identity();
    if (!user.empty() && !equals_ignoring_case(identity.username, user) &&
        !equals_ignoring_case(identity.system_user, user)) {
      continue;
    }
    out.push_back(snapshot_of(*it->second.session));
  }
  return out;
}

bool Hub::Impl::has_sessions(Id user) const {
  std::lock_guard lock(mutex_);
  return sessions_per_user_.contains(user);
}

std::vector<Id> Hub::Impl::online_among(std::vector<Id> users) const {
  std::sort(users.begin(), users.end());
  users.erase(std::unique(users.begin(), users.end()), users.end());
  std::lock_guard lock(mutex_);
  if (sessions_per_user_.empty()) return {};
  // Walk the shorter side: a broadcast to 100,000 people with a few hundred online looks up
  // the few hundred.
  if (sessions_per_user_.size() < users.size()) {
    std::vector<Id> online;
    for (const auto& [user, count] : sessions_per_user_) {
      if (std::binary_search(users.begin(), users.end(), user)) online.push_back(user);
    }
    std::sort(online.begin(), online.end());
    return online;
  }
  std::erase_if(users, [this](Id user) { return !sessions_per_user_.contains(user); });
  return users;
}

std::size_t Hub::Impl::size() const {
  std::lock_guard lock(mutex_);
  return open_.size();
}

// ---- Hub ----

Hub::Hub(net::IoPool& pool, HubOptions options) : impl_(std::make_unique<Impl>(pool, options)) {}

Hub::~Hub() = default;

void Hub::set_authenticator(HelloAuthenticator authenticator) {
  impl_->set_authenticator(std::move(authenticator));
}

const HubOptions& Hub::options() const noexcept {
  return impl_->options();
}

void Hub::publish_to_users(std::vector<Id> users, std::string_view json) {
  if (users.empty()) return;
  metrics().live_events_published.fetch_add(1, std::memory_order_relaxed);
  std::sort(users.begin(), users.end());
  users.erase(std::unique(users.begin(), users.end()), users.end());
  auto shared_users = std::make_shared<const std::vector<Id>>(std::move(users));
  FramePtr frame = make_event_frame(json);
  for (Shard* shard : impl_->shards()) {
    asio::post(shard->context(),
               [shard, frame, shared_users] { shard->deliver_to_users(*shared_users, frame); });
  }
}

std::size_t Hub::publish_to_all(std::string_view json) {
  metrics().live_events_published.fetch_add(1, std::memory_order_relaxed);
  FramePtr frame = make_event_frame(json);
  auto shards = impl_->shards();
  auto tally = std::make_shared<Tally>();
  tally->pending = shards.size();
  for (Shard* shard : shards) {
    asio::post(shard->context(),
               [shard, frame, tally] { tally->report(shard->deliver_to_all(frame)); });
  }
  return tally->wait();
}

std::optional<std::size_t> Hub::publish_to_session(std::string_view session_id,
                                                   std::string_view json) {
  auto entry = impl_->lookup(session_id);
  if (!entry) return std::nullopt;
  metrics().live_events_published.fetch_add(1, std::memory_order_relaxed);
  FramePtr frame = make_event_frame(json);
  auto tally = std::make_shared<Tally>();
  tally->pending = 1;
  asio::post(entry->shard->context(), [session = entry->session, frame, tally] {
    std::size_t delivered = session->deliver(frame) ? 1 : 0;
    metrics().live_frames_delivered.fetch_add(delivered, std::memory_order_relaxed);
    tally->report(delivered);
  });
  return tally->wait();
}

bool Hub::drop(std::string_view session_id, DropReason reason) {
  auto entry = impl_->lookup(session_id);
  if (!entry) return false;
  asio::post(entry->shard->context(),
             [session = entry->session, reason] { session->drop(reason); });
  return true;
}

void Hub::drop_all(DropReason reason) {
  for (Shard* shard : impl_->shards()) {
    asio::post(shard->context(), [shard, reason] { shard->drop_all(reason); });
  }
}

std::optional<SessionSnapshot> Hub::find(std::string_view session_id) const {
  auto entry = impl_->lookup(session_id);
  if (!entry) return std::nullopt;
  return snapshot_of(*entry->session);
}

std::vector<SessionSnapshot> Hub::list(std::string_view user, std::string_view after_id,
                                       std::size_t limit) const {
  return impl_->list(user, after_id, limit);
}

bool Hub::has_sessions(Id user) const {
  return impl_->has_sessions(user);
}

std::vector<Id> Hub::online_among(std::vector<Id> users) const {
  return impl_->online_among(std::move(users));
}

std::size_t Hub::size() const {
  return impl_->size();
}

}  // namespace herald::live
