// The command-line client's live sessions against a real server: `herald listen` as a child
// process, and `herald sessions list|alert|drop` run by an admin beside it.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <sstream>
#include <thread>

#include "support/cli_fixture.hpp"

namespace herald::test {
namespace {

using Clock = std::chrono::steady_clock;

// `herald listen` in a child process, its stdout and stderr read by the test line by line.
class Listener {
 public:
  Listener(const std::string& server, const std::string& token,
           const std::vector<std::string>& global_args = {}) {
    int fds[2];
    if (::pipe(fds) != 0) throw std::runtime_error("pipe failed");
    std::vector<std::string> args{herald_binary()};
    args.insert(args.end(), global_args.begin(), global_args.end());
    args.push_back("listen");
    pid_ = ::fork();
    if (pid_ < 0) throw std::runtime_error("fork failed");
    if (pid_ == 0) {
      ::prctl(PR_SET_PDEATHSIG, SIGKILL);
      ::dup2(fds[1], STDOUT_FILENO);
      ::dup2(fds[1], STDERR_FILENO);
      ::close(fds[0]);
      ::close(fds[1]);
      // Only the token given here, never a saved login.
      ::setenv("HERALD_CONFIG", "/nonexistent/herald-cli.json", 1);
      ::setenv("HERALD_SERVER", server.c_str(), 1);
      ::setenv("HERALD_TOKEN", token.c_str(), 1);
      std::vector<char*> argv;
      for (auto& arg : args) argv.push_back(arg.data());
      argv.push_back(nullptr);
      ::execv(argv[0], argv.data());
      ::_exit(127);
    }
    ::close(fds[1]);
    fd_ = fds[0];
  }

  ~Listener() {
    if (pid_ > 0) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
    if (fd_ >= 0) ::close(fd_);
  }
  Listener(const Listener&) = delete;
  Listener& operator=(const Listener&) = delete;

  // The first line not yet returned that contains `needle`, or "" after `timeout_ms`.
  std::string wait_for(const std::string& needle, int timeout_ms = 10000) {
    auto deadline = Clock::now() + std::chrono::milliseconds(timeout_ms);
    for (;;) {
      for (auto end = output_.find('\n', scanned_); end != std::string::npos;
           end = output_.find('\n', scanned_)) {
        std::string line = output_.substr(scanned_, end - scanned_);
        scanned_ = end + 1;
        if (line.find(needle) != std::string::npos) return line;
      }
      if (!read_some(deadline)) return "";
    }
  }

  // Waits for the process to end; its exit code, or -1 when it is still running at the deadline.
  int wait_exit(int timeout_ms = 10000) {
    auto deadline = Clock::now() + std::chrono::milliseconds(timeout_ms);
    while (read_some(deadline)) {
    }
    for (;;) {
      int status = 0;
      if (::waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
      }
      if (Clock::now() >= deadline) return -1;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  }

  void send_signal(int signal_number) { ::kill(pid_, signal_number); }
  const std::string& output() const { return output_; }

 private:
  // Reads what is there, waiting until the deadline; false at the end of the output or deadline.
  bool read_some(Clock::time_point deadline) {
    if (fd_ < 0) return false;
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() <= 0) return false;
    pollfd entry{fd_, POLLIN, 0};
    if (::poll(&entry, 1, static_cast<int>(left.count())) <= 0) return false;
    char buffer[4096];
    ssize_t n = ::read(fd_, buffer, sizeof buffer);
    if (n <= 0) {
      ::close(fd_);
      fd_ = -1;
      return false;
    }
    output_.append(buffer, static_cast<std::size_t>(n));
    return true;
  }

  pid_t pid_ = -1;
  int fd_ = -1;
  std::string output_;
  std::size_t scanned_ = 0;
};

class CliLive : public CliTest {
 protected:
  void SetUp() override { login_as_admin(); }

  static std::unique_ptr<Listener> listen(const Account& account,
                                          const std::vector<std::string>& global_args = {}) {
    return std::make_unique<Listener>(server_->base_url(), account.token, global_args);
  }

  // The id of a session of `username` in `sessions list --user`, or "".
  static std::string session_of(const std::string& username) {
    CliRun list = herald("sessions list --user " + username);
    EXPECT_EQ(list.exit_code, 0) << list.output;
    std::istringstream lines(list.output);
    std::string line;
    while (std::getline(lines, line)) {
      std::istringstream cells(line);
      std::string id, name;
      cells >> id >> name;
      if (name == username) return id;
    }
    return "";
  }

  // Sessions are listed once their stream is open, which a listener does not tell us.
  static std::string wait_for_session(const std::string& username) {
    auto deadline = Clock::now() + std::chrono::seconds(10);
    for (;;) {
      std::string id = session_of(username);
      if (!id.empty() || Clock::now() >= deadline) return id;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  }

  static bool wait_for_no_session(const std::string& username) {
    auto deadline = Clock::now() + std::chrono::seconds(10);
    for (;;) {
      if (session_of(username).empty()) return true;
      if (Clock::now() >= deadline) return false;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  }
};

TEST_F(CliLive, ListenPrintsAnAlertSentToItsSessionAndStopsOnCtrlC) {
  Account ann = make_account("listener");
  auto listener = listen(ann);
  EXPECT_NE(listener->wait_for("connected as " + ann.username), "") << listener->output();
  std::string id = wait_for_session(ann.username);
  ASSERT_NE(id, "");

  CliRun alert = herald("sessions alert --session " + id + " 'Fire drill at three'");
  EXPECT_EQ(alert.exit_code, 0) << alert.output;
  EXPECT_NE(alert.output.find("delivered to 1 session(s)"), std::string::npos) << alert.output;
  EXPECT_NE(listener->wait_for("alert from admin: Fire drill at three"), "") << listener->output();

  listener->send_signal(SIGINT);
  EXPECT_EQ(listener->wait_exit(), 0) << listener->output();
}

TEST_F(CliLive, ListenShowsNewMailAndPrintsRawEventsWithJson) {
  Account bob = make_account("mailed");
  auto readable = listen(bob);
  auto raw = listen(bob, {"--json"});
  ASSERT_NE(readable->wait_for("connected as " + bob.username), "") << readable->output();
  ASSERT_NE(raw->wait_for("\"type\":\"welcome\""), "") << raw->output();

  CliRun sent = herald("send --to " + bob.username + " -s 'Lunch menu' -b 'Soup'");
  ASSERT_EQ(sent.exit_code, 0) << sent.output;
  EXPECT_NE(readable->wait_for("new mail"), "") << readable->output();
  EXPECT_NE(readable->output().find("from Administrator (admin): Lunch menu"), std::string::npos)
      << readable->output();
  std::string line = raw->wait_for("\"type\":\"message.new\"");
  EXPECT_NE(line.find("\"subject\":\"Lunch menu\""), std::string::npos) << raw->output();
  EXPECT_EQ(line.front(), '{') << line;  // the event's JSON as it came, nothing before it
}

TEST_F(CliLive, SessionsListFiltersByUserAndAlertsReachEverySession) {
  Account first = make_account("first");
  Account second = make_account("second");
  auto first_listener = listen(first);
  auto second_listener = listen(second);
  ASSERT_NE(wait_for_session(first.username), "");
  ASSERT_NE(wait_for_session(second.username), "");

  CliRun only_first = herald("sessions list --user " + first.username);
  EXPECT_EQ(only_first.exit_code, 0);
  EXPECT_NE(only_first.output.find("SYSTEM USER"), std::string::npos) << only_first.output;
  EXPECT_NE(only_first.output.find(first.username), std::string::npos) << only_first.output;
  EXPECT_NE(only_first.output.find("herald-cli/"), std::string::npos) << only_first.output;
  EXPECT_EQ(only_first.output.find(second.username), std::string::npos) << only_first.output;

  CliRun all = herald("sessions list");
  EXPECT_NE(all.output.find(first.username), std::string::npos) << all.output;
  EXPECT_NE(all.output.find(second.username), std::string::npos) << all.output;

  CliRun json = herald("--json sessions list --user " + second.username);
  EXPECT_NE(json.output.find("\"items\""), std::string::npos) << json.output;
  EXPECT_NE(json.output.find("\"username\":\"" + second.username + "\""), std::string::npos);

  CliRun everyone = herald("sessions alert Everyone to the hall");
  EXPECT_EQ(everyone.exit_code, 0) << everyone.output;
  EXPECT_NE(everyone.output.find("delivered to "), std::string::npos) << everyone.output;
  EXPECT_NE(first_listener->wait_for("alert from admin: Everyone to the hall"), "")
      << first_listener->output();
  EXPECT_NE(second_listener->wait_for("alert from admin: Everyone to the hall"), "")
      << second_listener->output();
}

TEST_F(CliLive, AlertOrDropOfAnUnknownSessionFails) {
  CliRun alert = herald("sessions alert --session ffffffffffffffff 'Anyone there?'");
  EXPECT_EQ(alert.exit_code, 1);
  EXPECT_NE(alert.output.find("no open session 'ffffffffffffffff'"), std::string::npos)
      << alert.output;
  EXPECT_NE(alert.output.find("HTTP 404"), std::string::npos) << alert.output;

  CliRun drop = herald("sessions drop ffffffffffffffff");
  EXPECT_EQ(drop.exit_code, 1);
  EXPECT_NE(drop.output.find("no open session 'ffffffffffffffff'"), std::string::npos)
      << drop.output;
}

TEST_F(CliLive, DropEndsListenWithTheReason) {
  Account carol = make_account("dropped");
  auto listener = listen(carol);
  std::string id = wait_for_session(carol.username);
  ASSERT_NE(id, "");

  CliRun drop = herald("sessions drop " + id);
  EXPECT_EQ(drop.exit_code, 0) << drop.output;
  EXPECT_NE(drop.output.find("dropped session " + id), std::string::npos) << drop.output;
  EXPECT_NE(listener->wait_for("session dropped by an admin"), "") << listener->output();
  EXPECT_EQ(listener->wait_exit(), 0) << listener->output();
  EXPECT_TRUE(wait_for_no_session(carol.username));
}

TEST_F(CliLive, ListenFailsWhenTheTokenIsRefused) {
  Listener listener(server_->base_url(), "not-a-valid-token");
  EXPECT_EQ(listener.wait_exit(), 1) << listener.output();
  EXPECT_NE(listener.output().find("HTTP 401"), std::string::npos) << listener.output();
}

TEST_F(CliLive, ListenFailsWhenTheServerCannotBeReached) {
  // A loopback port that was free a moment ago: nothing listens there.
  int probe = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t size = sizeof address;
  ASSERT_EQ(::bind(probe, reinterpret_cast<sockaddr*>(&address), size), 0);
  ASSERT_EQ(::getsockname(probe, reinterpret_cast<sockaddr*>(&address), &size), 0);
  ::close(probe);
  std::string closed = "http://127.0.0.1:" + std::to_string(ntohs(address.sin_port));
  Listener listener(closed, "some-token");
  EXPECT_EQ(listener.wait_exit(), 1) << listener.output();
  EXPECT_NE(listener.output().find("cannot reach"), std::string::npos) << listener.output();
}

}  // namespace
}  // namespace herald::test
