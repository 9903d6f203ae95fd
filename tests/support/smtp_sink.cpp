#include "support/smtp_sink.hpp"

#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <vector>

namespace herald::test {
namespace {

constexpr const char* kPython = "/usr/bin/python3";  // Debian's, with python3-aiosmtpd

// Reads the first line the child prints, waiting at most `timeout`.
std::string read_first_line(int fd, std::chrono::milliseconds timeout) {
  std::string line;
  auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) throw std::runtime_error("smtp_sink.py did not print its port");
    pollfd wait{fd, POLLIN, 0};
    if (::poll(&wait, 1, static_cast<int>(left.count())) <= 0) continue;
    char ch = 0;
    if (::read(fd, &ch, 1) != 1) throw std::runtime_error("smtp_sink.py exited before listening");
    if (ch == '\n') return line;
    line += ch;
  }
}

}  // namespace

ScratchDir::ScratchDir() {
  std::string pattern = (std::filesystem::temp_directory_path() / "herald-smtp-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  path_ = pattern;
}

ScratchDir::~ScratchDir() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

SmtpSink::SmtpSink(SmtpSinkOptions options) : implicit_tls_(options.implicit_tls) {
  std::vector<std::string> args{kPython, HERALD_TEST_PEERS_DIR "/smtp_sink.py", "--dir",
                                dir_.path().string()};
  if (!options.auth.empty()) args.insert(args.end(), {"--auth", options.auth});
  if (!options.tls_cert.empty()) {
    args.insert(args.end(),
                {"--tls-cert", options.tls_cert.string(), "--tls-key", options.tls_key.string()});
  }
  if (options.implicit_tls) args.emplace_back("--implicit-tls");
  if (options.require_tls) args.emplace_back("--require-tls");
  if (options.drop_second_mail) args.emplace_back("--drop-second-mail");

  int fds[2];
  if (::pipe(fds) != 0) throw std::runtime_error("pipe failed");
  pid_ = ::fork();
  if (pid_ < 0) throw std::runtime_error("fork failed");
  if (pid_ == 0) {
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);  // dies with the test, even on a crash
    ::dup2(fds[1], STDOUT_FILENO);
    ::close(fds[0]);
    ::close(fds[1]);
    std::vector<char*> argv;
    for (auto& arg : args) argv.push_back(arg.data());
    argv.push_back(nullptr);
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  ::close(fds[1]);
  stdout_fd_ = fds[0];
  try {
    port_ = static_cast<unsigned short>(
        std::stoi(read_first_line(stdout_fd_, std::chrono::seconds(20))));
  } catch (...) {
    stop();
    throw;
  }
}

SmtpSink::~SmtpSink() {
  stop();
}

void SmtpSink::stop() noexcept {
  if (pid_ > 0) {
    ::kill(pid_, SIGKILL);
    int status = 0;
    ::waitpid(pid_, &status, 0);
    pid_ = -1;
  }
  if (stdout_fd_ >= 0) ::close(stdout_fd_);
  stdout_fd_ = -1;
}

std::string SmtpSink::url() const {
  return (implicit_tls_ ? "smtps://127.0.0.1:" : "smtp://127.0.0.1:") + std::to_string(port_);
}

int SmtpSink::connections() const {
  return std::stoi(read_file(dir_.path() / "connections"));
}

int SmtpSink::messages() const {
  int n = 0;
  while (std::filesystem::exists(message_file(n + 1))) ++n;
  return n;
}

std::filesystem::path SmtpSink::message_file(int n) const {
  return dir_.path() / (std::to_string(n) + ".eml");
}

std::filesystem::path SmtpSink::envelope_file(int n) const {
  return dir_.path() / (std::to_string(n) + ".json");
}

void write_self_signed_certificate(const std::filesystem::path& dir) {
  std::string command =
      "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2"
      " -subj /CN=localhost -addext subjectAltName=IP:127.0.0.1,DNS:localhost"
      " -keyout '" +
      (dir / "key.pem").string() + "' -out '" + (dir / "cert.pem").string() + "' 2>/dev/null";
  if (std::system(command.c_str()) != 0) throw std::runtime_error("openssl req failed");
}

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path.string());
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace herald::test
