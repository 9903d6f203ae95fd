// The session pool of live_load (see live_load_sessions.hpp): connection set-up, the event loop,
// the handling of each protocol's frames, and the timing of one round.
#include "live_load_sessions.hpp"

#include <arpa/inet.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>

#include <boost/asio/buffer.hpp>

namespace live_load {

namespace {

namespace http = boost::beast::http;

constexpr std::uint32_t kStdin = 0xfffffffd, kHttp = 0xfffffffe;
constexpr int kMaxAttempts = 3;

double ms_between(Clock::time_point a, Clock::time_point b) {
  return std::chrono::duration<double, std::milli>(b - a).count();
}

double process_cpu_ms() {
  timespec t{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) * 1e3 + static_cast<double>(t.tv_nsec) / 1e6;
}

// The CPU time of all of a process's threads, in milliseconds, from schedstat: /proc/PID/stat
// counts whole clock ticks, which are as long as a short round.
double server_cpu_ms(int pid) {
  double total = 0;
  std::error_code ec;
  for (auto& task :
       std::filesystem::directory_iterator("/proc/" + std::to_string(pid) + "/task", ec)) {
    std::ifstream in(task.path() / "schedstat");
    double ns = 0;
    if (in >> ns) total += ns;
  }
  return total / 1e6;
}

bool send_all(int fd, std::string_view data) {
  while (!data.empty()) {
    ssize_t n = ::send(fd, data.data(), data.size(), MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;  // a full send buffer too: these writes are small and rare
    data.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

Clock::duration seconds(double s) {
  return std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(s));
}

}  // namespace

SessionPool::SessionPool(const Options& o) : o_(o), sessions_(o.sessions + (o.mqtt ? 1 : 0)) {
  epoll_ = epoll_create1(EPOLL_CLOEXEC);
  events_.resize(1024);
  target_.sin_family = AF_INET;
  target_.sin_port = htons(o.port);
  inet_pton(AF_INET, o.host.c_str(), &target_.sin_addr);
  seed_ = static_cast<std::uint64_t>(Clock::now().time_since_epoch().count());
  arrivals_.reserve(o.sessions);
}

// Opens every session (and the MQTT publisher first); false if any could not be opened.
bool SessionPool::connect_all() {
  auto deadline = Clock::now() + seconds(o_.connect_timeout);
  connect_start_ = Clock::now();
  if (o_.mqtt) {
    next_ = o_.sessions, limit_ = o_.sessions + 1;
    start_more();
    run_until([&] { return publisher_open_ || failed_ > 0; }, deadline);
    next_ = 0;
  }
  limit_ = o_.sessions;
  start_more();
  run_until([&] { return open_ + failed_ >= o_.sessions; }, deadline);
  if (fatal_.empty() && open_ < o_.sessions) {
    fatal_ = std::to_string(open_) + " of " + std::to_string(o_.sessions) +
             " sessions opened; first error: " + first_error_;
  }
  return fatal_.empty();
}

// Keeps the sessions (answering pings) for a while.
void SessionPool::hold(double secs) {
  run_until([] { return false; }, Clock::now() + seconds(secs));
}

// Waits for a line on stdin; false at its end.
bool SessionPool::wait_for_request() {
  if (!stdin_registered_) {
    epoll_event ev{EPOLLIN, {.u32 = kStdin}};
    if (epoll_ctl(epoll_, EPOLL_CTL_ADD, 0, &ev) != 0) {
      fatal_ = "--control needs stdin to be a pipe";
      return false;
    }
    stdin_registered_ = true;
  }
  run_until([&] { return requests_ > 0 || stdin_eof_; }, std::nullopt);
  if (requests_ == 0 || !fatal_.empty()) return false;
  --requests_;
  return true;
}

RoundResult SessionPool::round(long r) {
  RoundResult result;
  result.round = round_ = r;
  result.expected = open_;
  arrivals_.clear();
  std::string text = marker_text(r);
  double client_cpu = process_cpu_ms();
  long wakeups = wakeups_;
  double server_cpu = o_.server_pid ? server_cpu_ms(o_.server_pid) : 0;
  Clock::time_point t0;
  if (o_.mqtt) {
    t0 = Clock::now();
    if (!send_all(sessions_[o_.sessions].fd, mqtt_publish(o_.topic, text))) {
      fatal_ = "cannot publish";
      return result;
    }
  } else {
    t0 = start_alert(text);
  }
  run_until([&] { return arrivals_.size() >= open_ && http_fd_ < 0; }, t0 + seconds(o_.timeout));
  if (http_fd_ >= 0) close_http();
  result.client_cpu_ms = process_cpu_ms() - client_cpu;
  result.client_wakeups = wakeups_ - wakeups;
  if (o_.server_pid) result.server_cpu_ms = server_cpu_ms(o_.server_pid) - server_cpu;
  result.received = arrivals_.size();
  if (!arrivals_.empty()) {
    auto middle = arrivals_.begin() + static_cast<long>(arrivals_.size() / 2);
    std::nth_element(arrivals_.begin(), middle, arrivals_.end());
    result.p50_ms = ms_between(t0, *middle);
    result.first_ms = ms_between(t0, *std::min_element(arrivals_.begin(), arrivals_.end()));
    result.last_ms = ms_between(t0, *std::max_element(arrivals_.begin(), arrivals_.end()));
  }
  if (!o_.mqtt) {
    result.reply_ms = http_done_ ? ms_between(t0, *http_done_) : -1;
    result.status = http_status_;
    auto at = http_body_.find("\"delivered\":");
    if (at != std::string::npos) result.delivered = std::atol(http_body_.c_str() + at + 12);
  }
  return result;
}

void SessionPool::run_until(const std::function<bool()>& done,
                            std::optional<Clock::time_point> deadline) {
  while (fatal_.empty() && !done()) {
    int timeout = -1;
    if (deadline) {
      auto left = *deadline - Clock::now();
      if (left <= Clock::duration::zero()) return;
      timeout =
          static_cast<int>(std::ceil(std::chrono::duration<double, std::milli>(left).count()));
    }
    if (o_.connect_rate > 0 && next_ < limit_) timeout = timeout < 0 ? 5 : std::min(timeout, 5);
    int n = epoll_wait(epoll_, events_.data(), static_cast<int>(events_.size()), timeout);
    ++wakeups_;
    if (n < 0 && errno != EINTR) fatal_ = std::string("epoll_wait: ") + std::strerror(errno);
    for (int k = 0; k < n; ++k) dispatch(events_[static_cast<std::size_t>(k)]);
    // New connections only start between batches, so no handler sees its session replaced.
    start_more();
  }
}

void SessionPool::dispatch(const epoll_event& ev) {
  if (ev.data.u32 == kStdin) {
    char line[256];
    ssize_t n = ::read(0, line, sizeof line);
    if (n <= 0 && errno != EINTR && errno != EAGAIN) {
      stdin_eof_ = true;
      epoll_ctl(epoll_, EPOLL_CTL_DEL, 0, nullptr);
    }
    requests_ += static_cast<long>(std::count(line, line + std::max<ssize_t>(n, 0), '\n'));
  } else if (ev.data.u32 == kHttp) {
    on_http();
  } else {
    on_session(ev.data.u32, ev.events);
  }
}

void SessionPool::start_more() {
  while (in_flight_ < o_.concurrency && (!retry_.empty() || next_ < limit_)) {
    if (o_.connect_rate > 0 &&
        static_cast<double>(started_) >=
            1 + o_.connect_rate *
                    std::chrono::duration<double>(Clock::now() - connect_start_).count()) {
      break;
    }
    std::uint32_t i;
    if (!retry_.empty()) {
      i = retry_.back();
      retry_.pop_back();
    } else {
      i = next_++;
    }
    start_connect(i);
  }
}

void SessionPool::start_connect(std::uint32_t i) {
  Session& s = sessions_[i];
  ++in_flight_, ++started_;
  s.phase = Phase::connecting;
  s.fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (s.fd < 0) {
    fatal_ = std::string("socket: ") + std::strerror(errno);
    return;
  }
  int one = 1;
  setsockopt(s.fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  if (o_.sources > 0) {
    // Without this, bind() would pick the port alone and not per (source, target) pair.
    setsockopt(s.fd, IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &one, sizeof one);
    sockaddr_in source{};
    source.sin_family = AF_INET;
    source.sin_addr.s_addr = htonl(0x7f000001u + (i + s.attempts) % o_.sources);
    if (::bind(s.fd, reinterpret_cast<sockaddr*>(&source), sizeof source) != 0) {
      return fail(i, std::string("bind: ") + std::strerror(errno));
    }
  }
  if (::connect(s.fd, reinterpret_cast<sockaddr*>(&target_), sizeof target_) != 0 &&
      errno != EINPROGRESS) {
    return fail(i, std::string("connect: ") + std::strerror(errno));
  }
  epoll_event ev{EPOLLIN | EPOLLOUT, {.u32 = i}};
  epoll_ctl(epoll_, EPOLL_CTL_ADD, s.fd, &ev);
}

// A session that could not be set up: retried from another source address, a few times.
void SessionPool::fail(std::uint32_t i, const std::string& reason) {
  Session& s = sessions_[i];
  if (first_error_.empty()) first_error_ = reason;
  close_session(s);
  --in_flight_;
  if (++s.attempts < kMaxAttempts) {
    retry_.push_back(i);
  } else {
    ++failed_;
  }
}

void SessionPool::close_session(Session& s) {
  if (s.fd >= 0) ::close(s.fd);
  s.fd = -1;
  s.phase = Phase::idle;
}

// A session that ends after it was open.
void SessionPool::lose(std::uint32_t i, const std::string& reason) {
  Session& s = sessions_[i];
  if (s.phase != Phase::open) return fail(i, reason);
  if (lost_++ == 0) std::fprintf(stderr, "live_load: a session ended: %s\n", reason.c_str());
  close_session(s);
  if (i < o_.sessions) --open_;
}

void SessionPool::became_open(std::uint32_t i) {
  sessions_[i].phase = Phase::open;
  --in_flight_;
  if (i < o_.sessions) {
    ++open_;
  } else {
    publisher_open_ = true;
  }
}

void SessionPool::on_session(std::uint32_t i, std::uint32_t events) {
  Session& s = sessions_[i];
  if (s.fd < 0) return;
  if (s.phase == Phase::connecting) {
    int error = 0;
    socklen_t size = sizeof error;
    getsockopt(s.fd, SOL_SOCKET, SO_ERROR, &error, &size);
    if (error != 0) return fail(i, std::string("connect: ") + std::strerror(error));
    if ((events & EPOLLOUT) == 0) return;
    std::string hello =
        o_.mqtt ? mqtt_connect("live-load-" + std::to_string(getpid()) + "-" + std::to_string(i))
                : websocket_upgrade(o_.host + ":" + std::to_string(o_.port), o_.path, o_.token,
                                    websocket_key(seed_ + i));
    if (!send_all(s.fd, hello)) return fail(i, std::string("send: ") + std::strerror(errno));
    s.phase = Phase::handshake;
    epoll_event ev{EPOLLIN | EPOLLET, {.u32 = i}};
    epoll_ctl(epoll_, EPOLL_CTL_MOD, s.fd, &ev);
    return;
  }
  // Edge-triggered: a read that does not fill the buffer has emptied the socket (TCP copies all
  // it has), and data arriving later raises a new edge. This saves epoll a second look at every
  // socket it reported, which level-triggering costs.
  for (;;) {
    ssize_t n = ::read(s.fd, buffer_, sizeof buffer_);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && errno == EAGAIN) return;
    if (n <= 0) return lose(i, n == 0 ? "closed by the server" : std::strerror(errno));
    on_data(i, s, std::string_view(buffer_, static_cast<std::size_t>(n)));
    if (s.fd < 0 || n < static_cast<ssize_t>(sizeof buffer_)) return;
  }
}

void SessionPool::on_data(std::uint32_t i, Session& s, std::string_view data) {
  std::string joined;
  if (!s.pending.empty()) {
    joined = std::move(s.pending);
    s.pending = std::string();
    joined.append(data);
    data = joined;
  }
  std::size_t used = consume(i, s, data);
  if (s.fd >= 0 && used < data.size()) {
    if (data.size() - used > 65536) return lose(i, "a frame over 64 KiB");
    s.pending.assign(data.substr(used));
  }
}

// Handles every complete frame at the start of `data`; returns the bytes they took.
std::size_t SessionPool::consume(std::uint32_t i, Session& s, std::string_view data) {
  std::size_t pos = 0;
  if (s.phase == Phase::handshake && !o_.mqtt) {
    std::string status;
    switch (check_upgrade(data, websocket_key(seed_ + i), pos, status)) {
      case UpgradeResult::incomplete:
        return 0;
      case UpgradeResult::refused:
        fatal_ = "the server refused the upgrade: " + status;
        return data.size();
      case UpgradeResult::accepted:
        s.phase = Phase::welcome;
    }
  }
  while (pos < data.size() && s.fd >= 0 && fatal_.empty()) {
    Frame f =
        o_.mqtt ? parse_mqtt_packet(data.substr(pos)) : parse_websocket_frame(data.substr(pos));
    if (f.malformed) {
      lose(i, "a malformed frame");
      break;
    }
    if (f.size == 0) break;
    pos += f.size;
    if (o_.mqtt) {
      on_mqtt_packet(i, s, f);
    } else {
      on_websocket_frame(i, s, f);
    }
  }
  return pos;
}

void SessionPool::on_websocket_frame(std::uint32_t i, Session& s, const Frame& f) {
  switch (f.opcode) {
    case websocket::text:
    case websocket::continuation:
      if (s.phase == Phase::welcome) {
        if (f.payload.find("\"welcome\"") == std::string_view::npos) {
          fatal_ = "the first frame was not a welcome: " + std::string(f.payload.substr(0, 200));
          return;
        }
        return became_open(i);
      }
      return on_marker(s, find_marker(f.payload));
    case websocket::ping:
      send_all(s.fd, websocket_frame(websocket::pong, f.payload, next_mask()));
      return;
    case websocket::close: {
      std::string_view code = f.payload.substr(0, 2);
      send_all(s.fd, websocket_frame(websocket::close, code, next_mask()));
      unsigned value = code.size() == 2 ? (static_cast<unsigned char>(code[0]) << 8) |
                                              static_cast<unsigned char>(code[1])
                                        : 0;
      return lose(i, "a close frame, code " + std::to_string(value) + " " +
                         std::string(f.payload.substr(std::min<std::size_t>(2, f.payload.size()))));
    }
    default:
      return;
  }
}

void SessionPool::on_mqtt_packet(std::uint32_t i, Session& s, const Frame& f) {
  switch (f.opcode) {
    case mqtt::connack:
      if (f.payload.size() != 2 || f.payload[1] != 0) {
        fatal_ = "the broker refused CONNECT";
      } else if (i == o_.sessions) {
        became_open(i);
      } else if (!send_all(s.fd, mqtt_subscribe(o_.topic))) {
        fail(i, "cannot send SUBSCRIBE");
      } else {
        s.phase = Phase::subscribing;
      }
      return;
    case mqtt::suback:
      if (f.payload.size() != 3 || static_cast<unsigned char>(f.payload[2]) == 0x80) {
        fatal_ = "the broker refused SUBSCRIBE";
        return;
      }
      return became_open(i);
    case mqtt::publish:
      return on_marker(s, find_marker(f.payload));
    default:
      return;
  }
}

void SessionPool::on_marker(Session& s, long r) {
  if (r < 0 || r != round_ || s.last_round == r) return;
  s.last_round = static_cast<std::int32_t>(r);
  arrivals_.push_back(Clock::now());
}

std::uint32_t SessionPool::next_mask() {
  mask_state_ = mask_state_ * 6364136223846793005ULL + 1442695040888963407ULL;
  return static_cast<std::uint32_t>(mask_state_ >> 32);
}

// Opens a connection, takes t0 and writes the alert; the reply is read by the event loop.
Clock::time_point SessionPool::start_alert(const std::string& text) {
  http_fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (::connect(http_fd_, reinterpret_cast<sockaddr*>(&target_), sizeof target_) != 0) {
    fatal_ = std::string("alert connection: ") + std::strerror(errno);
    return Clock::now();
  }
  int one = 1;
  setsockopt(http_fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  std::string body = "{\"text\":\"" + text + "\"}";
  std::string request =
      "POST " + o_.alert_path + " HTTP/1.1\r\nHost: " + o_.host + ":" + std::to_string(o_.port) +
      "\r\nAuthorization: Bearer " + o_.token +
      "\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) +
      "\r\nConnection: close\r\n\r\n" + body;
  http_parser_.emplace();
  http_parser_->eager(true);
  http_buffer_.clear();
  http_body_.clear();
  http_status_ = 0;
  http_done_.reset();
  auto t0 = Clock::now();
  if (!send_all(http_fd_, request)) fatal_ = "cannot send the alert";
  epoll_event ev{EPOLLIN, {.u32 = kHttp}};
  epoll_ctl(epoll_, EPOLL_CTL_ADD, http_fd_, &ev);
  return t0;
}

void SessionPool::on_http() {
  ssize_t n = ::read(http_fd_, buffer_, sizeof buffer_);
  if (n < 0 && (errno == EAGAIN || errno == EINTR)) return;
  if (n <= 0) {
    fatal_ = "the alert connection ended before its reply";
    return close_http();
  }
  http_buffer_.append(buffer_, static_cast<std::size_t>(n));
  boost::beast::error_code ec;
  while (!http_parser_->is_done()) {
    std::size_t used = http_parser_->put(boost::asio::buffer(http_buffer_), ec);
    http_buffer_.erase(0, used);
    if (ec == http::error::need_more) break;
    if (ec) {
      fatal_ = "bad alert reply: " + ec.message();
      return close_http();
    }
  }
  if (!http_parser_->is_done()) return;
  http_done_ = Clock::now();
  http_status_ = static_cast<int>(http_parser_->get().result_int());
  http_body_ = http_parser_->get().body();
  if (http_status_ != 200)
    fatal_ = "the alert was answered " + std::to_string(http_status_) + " " + http_body_;
  close_http();
}

void SessionPool::close_http() {
  ::close(http_fd_);
  http_fd_ = -1;
}

}  // namespace live_load
