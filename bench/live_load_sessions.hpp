// The session pool of live_load: opens thousands of client sessions at a bounded pace, keeps them
// alive, and times how long one message takes to reach every one of them.
#pragma once

#include <netinet/in.h>
#include <sys/epoll.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>

#include "live_load_protocol.hpp"

namespace live_load {

using Clock = std::chrono::steady_clock;

struct Options {
  bool mqtt = false;
  std::string host = "127.0.0.1";
  unsigned short port = 0;
  std::string token;
  std::string path = "/api/v1/live?client=live_load";
  std::string alert_path = "/api/v1/sessions/alert";
  std::string topic = "herald/alerts";
  std::uint32_t sessions = 1000;
  std::uint32_t sources = 4;  // source addresses 127.0.0.1..127.0.0.N; 0: let the kernel pick
  std::uint32_t concurrency = 64;
  double connect_rate = 0;  // new connections per second; 0: only the concurrency limits
  long rounds = 7;
  bool control = false;
  int server_pid = 0;
  double settle = 1;    // seconds between the last welcome and the second RSS reading
  double pause = 0.2;   // seconds between rounds
  double timeout = 10;  // seconds a round may take
  double connect_timeout = 300;
};

struct RoundResult {
  long round = 0;
  std::size_t expected = 0, received = 0;
  double first_ms = 0, p50_ms = 0, last_ms = 0, reply_ms = 0;
  double client_cpu_ms = 0, server_cpu_ms = -1;  // CPU time used during the round
  long client_wakeups = 0;                       // epoll_wait calls of the client during the round
  int status = 0;
  long delivered = -1;
};

// The client runs one thread and one edge-triggered epoll set, reading each socket once per
// event into one shared buffer; a session holds its socket and a few bytes of state. Sessions
// bind to 127.0.0.1..127.0.0.S before connecting, so that S times the ephemeral port range is
// available, and at most `concurrency` of them are being set up at once, so that the server's
// accept backlog is never overrun.
class SessionPool {
 public:
  explicit SessionPool(const Options& o);
  SessionPool(const SessionPool&) = delete;
  SessionPool& operator=(const SessionPool&) = delete;

  // Set once something went wrong that ends the run.
  const std::string& fatal() const { return fatal_; }
  std::size_t open() const { return open_; }
  std::size_t lost() const { return lost_; }

  // Opens every session (and the MQTT publisher first); false if any could not be opened.
  bool connect_all();
  // Keeps the sessions (answering pings) for a while.
  void hold(double seconds);
  // Waits for a line on stdin, keeping the sessions meanwhile; false at its end.
  bool wait_for_request();
  // Sends the message of round `r` and waits until every open session has it.
  RoundResult round(long r);

 private:
  enum class Phase : std::uint8_t { idle, connecting, handshake, subscribing, welcome, open };

  // Kept small on purpose: 19,000 of these.
  struct Session {
    int fd = -1;
    Phase phase = Phase::idle;
    std::uint8_t attempts = 0;
    std::int32_t last_round = -1;
    std::string pending;  // an incomplete frame, if a read ended inside one; else empty, no heap
  };

  void run_until(const std::function<bool()>& done, std::optional<Clock::time_point> deadline);
  void dispatch(const epoll_event& event);
  void start_more();
  void start_connect(std::uint32_t i);
  void fail(std::uint32_t i, const std::string& reason);
  void lose(std::uint32_t i, const std::string& reason);
  void close_session(Session& s);
  void became_open(std::uint32_t i);
  void on_session(std::uint32_t i, std::uint32_t events);
  void on_data(std::uint32_t i, Session& s, std::string_view data);
  std::size_t consume(std::uint32_t i, Session& s, std::string_view data);
  void on_websocket_frame(std::uint32_t i, Session& s, const Frame& f);
  void on_mqtt_packet(std::uint32_t i, Session& s, const Frame& f);
  void on_marker(Session& s, long round);
  std::uint32_t next_mask();
  Clock::time_point start_alert(const std::string& text);
  void on_http();
  void close_http();

  const Options& o_;
  int epoll_ = -1;
  sockaddr_in target_{};
  std::uint64_t seed_ = 0, mask_state_ = 1;
  std::vector<Session> sessions_;  // the MQTT publisher is the one after the last subscriber
  std::uint32_t next_ = 0, limit_ = 0, in_flight_ = 0;
  std::vector<std::uint32_t> retry_;
  std::size_t open_ = 0, failed_ = 0, lost_ = 0, started_ = 0;
  bool publisher_open_ = false;
  Clock::time_point connect_start_;
  std::string fatal_, first_error_;
  long round_ = -1;
  std::vector<Clock::time_point> arrivals_;
  bool stdin_registered_ = false, stdin_eof_ = false;
  long requests_ = 0, wakeups_ = 0;
  int http_fd_ = -1;
  std::optional<boost::beast::http::response_parser<boost::beast::http::string_body>> http_parser_;
  std::string http_buffer_, http_body_;
  int http_status_ = 0;
  std::optional<Clock::time_point> http_done_;
  std::vector<epoll_event> events_;
  char buffer_[65536];
};

}  // namespace live_load
