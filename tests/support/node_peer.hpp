// Runs a Node.js test peer from tests/peers on a loopback port: it prints its port on its first
// line, then one JSON record per request it received; the peer dies with this object.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <boost/json/object.hpp>

namespace herald::test {

// The folder of the peers' scripts and node_modules.
std::string peers_dir();

class NodePeer {
 public:
  // Starts `node <peers_dir>/<script> args...` and waits for its port. Throws
  // std::runtime_error when it exits or stays silent instead (say, npm packages missing).
  NodePeer(const std::string& script, const std::vector<std::string>& args);
  ~NodePeer();
  NodePeer(const NodePeer&) = delete;
  NodePeer& operator=(const NodePeer&) = delete;

  unsigned short port() const noexcept { return port_; }
  // "http://127.0.0.1:PORT" (or https).
  std::string origin(const char* scheme = "http") const;

  // The `index`-th record (0-based), waiting for it up to `timeout`; throws when it does not come.
  boost::json::object record(std::size_t index,
                             std::chrono::milliseconds timeout = std::chrono::seconds(10));
  // How many records have arrived so far.
  std::size_t record_count() const;

 private:
  void read_lines(int fd);

  pid_t pid_ = -1;
  unsigned short port_ = 0;
  std::thread reader_;
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<std::string> lines_;
  bool closed_ = false;
};

}  // namespace herald::test
