#include "support/node_peer.hpp"

#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <stdexcept>

#include <boost/json/parse.hpp>

namespace herald::test {

std::string peers_dir() {
  return HERALD_PEERS_DIR;
}

NodePeer::NodePeer(const std::string& script, const std::vector<std::string>& args) {
  int pipe_fds[2];
  if (::pipe(pipe_fds) != 0) throw std::runtime_error("pipe failed");
  std::vector<std::string> argv_text{"node", peers_dir() + "/" + script};
  argv_text.insert(argv_text.end(), args.begin(), args.end());
  pid_ = ::fork();
  if (pid_ < 0) throw std::runtime_error("fork failed");
  if (pid_ == 0) {
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    ::dup2(pipe_fds[1], STDOUT_FILENO);
    ::close(pipe_fds[0]);
    ::close(pipe_fds[1]);
    std::vector<char*> argv;
    for (auto& arg : argv_text) argv.push_back(arg.data());
    argv.push_back(nullptr);
    ::execvp("node", argv.data());
    ::_exit(127);
  }
  ::close(pipe_fds[1]);
  reader_ = std::thread([this, fd = pipe_fds[0]] { read_lines(fd); });

  std::unique_lock lock(mutex_);
  bool ready = changed_.wait_for(lock, std::chrono::seconds(30),
                                 [this] { return !lines_.empty() || closed_; });
  std::string first = lines_.empty() ? "" : lines_.front();
  lock.unlock();
  if (ready && !first.empty()) {
    try {
      port_ = static_cast<unsigned short>(boost::json::parse(first).at("port").to_number<int>());
    } catch (const std::exception&) {
      port_ = 0;
    }
  }
  if (port_ == 0) {
    ::kill(pid_, SIGKILL);
    throw std::runtime_error(script + " did not start (see its stderr; are tests/peers' npm " +
                             "packages installed?); first line: " + first);
  }
}

NodePeer::~NodePeer() {
  if (pid_ > 0) {
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
  }
  if (reader_.joinable()) reader_.join();
}

std::string NodePeer::origin(const char* scheme) const {
  return std::string(scheme) + "://127.0.0.1:" + std::to_string(port_);
}

void NodePeer::read_lines(int fd) {
  std::string pending;
  char buffer[4096];
  for (;;) {
    ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    pending.append(buffer, static_cast<std::size_t>(n));
    std::size_t start = 0;
    std::lock_guard lock(mutex_);
    for (auto end = pending.find('\n'); end != std::string::npos; end = pending.find('\n', start)) {
      lines_.push_back(pending.substr(start, end - start));
      start = end + 1;
    }
    pending.erase(0, start);
    changed_.notify_all();
  }
  ::close(fd);
  std::lock_guard lock(mutex_);
  closed_ = true;
  changed_.notify_all();
}

boost::json::object NodePeer::record(std::size_t index, std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  // Line 0 is the port; records follow.
  changed_.wait_for(lock, timeout, [&] { return lines_.size() > index + 1 || closed_; });
  if (lines_.size() <= index + 1) {
    throw std::runtime_error("the peer printed no record #" + std::to_string(index) +
                             (closed_ ? " (it exited)" : " in time"));
  }
  return boost::json::parse(lines_[index + 1]).as_object();
}

std::size_t NodePeer::record_count() const {
  std::lock_guard lock(mutex_);
  return lines_.empty() ? 0 : lines_.size() - 1;
}

}  // namespace herald::test
