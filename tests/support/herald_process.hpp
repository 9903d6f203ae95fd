// Starts a real `herald serve` on an ephemeral loopback port with a fresh data folder, for
// integration tests, and stops it gently (SIGTERM) or brutally (SIGKILL).
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace herald::test {

inline constexpr const char* kAdminPassword = "admin-password-for-tests";

// A fresh, empty folder under the system temp dir, removed when the object dies.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const noexcept { return path_; }

 private:
  std::filesystem::path path_;
};

class HeraldProcess {
 public:
  // Starts herald serve with `--data data_dir --listen 127.0.0.1:0` plus `extra_args`, and waits
  // until it listens. Throws std::runtime_error when it does not start.
  explicit HeraldProcess(std::filesystem::path data_dir, std::vector<std::string> extra_args = {});
  ~HeraldProcess();  // SIGKILL if still running
  HeraldProcess(const HeraldProcess&) = delete;
  HeraldProcess& operator=(const HeraldProcess&) = delete;

  unsigned short port() const noexcept { return port_; }
  std::string base_url() const;
  // Everything the server printed on stdout so far.
  std::string output() const;

  // SIGTERM and wait; returns the exit status (or -1 when it had to be killed after `timeout_ms`).
  int terminate(int timeout_ms = 15000);
  // SIGKILL and wait.
  void kill_hard();

 private:
  void drain_output(int fd);

  pid_t pid_ = -1;
  unsigned short port_ = 0;
  std::thread reader_;
  mutable std::mutex mutex_;
  std::string output_;
};

// Path of the herald binary under test.
std::string herald_binary();

}  // namespace herald::test
