// Starts tests/peers/smtp_sink.py (a real SMTP server on aiosmtpd) on a free loopback port for
// one test, reads what it received, and kills it when the test ends.
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <string>

namespace herald::test {

struct SmtpSinkOptions {
  std::string auth;                // "login:password": AUTH required (allowed without TLS)
  std::filesystem::path tls_cert;  // with tls_key: offer STARTTLS
  std::filesystem::path tls_key;
  bool implicit_tls = false;      // with tls_cert: TLS from the first byte (smtps://), no STARTTLS
  bool require_tls = false;       // refuse MAIL before STARTTLS
  bool drop_second_mail = false;  // close a connection at its second MAIL, without a reply
};

// A fresh folder under the system temp dir, removed with everything in it when the object dies.
class ScratchDir {
 public:
  ScratchDir();
  ~ScratchDir();
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  const std::filesystem::path& path() const noexcept { return path_; }

 private:
  std::filesystem::path path_;
};

class SmtpSink {
 public:
  // Throws std::runtime_error when the server does not start (python3-aiosmtpd missing...).
  explicit SmtpSink(SmtpSinkOptions options = {});
  ~SmtpSink();  // SIGKILL
  SmtpSink(const SmtpSink&) = delete;
  SmtpSink& operator=(const SmtpSink&) = delete;

  unsigned short port() const noexcept { return port_; }
  std::string url() const;  // smtp://127.0.0.1:PORT, or smtps:// with implicit TLS

  // TCP connections accepted so far (a STARTTLS upgrade is not a new one).
  int connections() const;
  // Messages accepted so far; message n (from 1) is message_file(n), its envelope
  // envelope_file(n) (JSON: mail_from, rcpt_tos, tls, login).
  int messages() const;
  std::filesystem::path message_file(int n) const;
  std::filesystem::path envelope_file(int n) const;

 private:
  void stop() noexcept;

  ScratchDir dir_;
  pid_t pid_ = -1;
  int stdout_fd_ = -1;
  unsigned short port_ = 0;
  bool implicit_tls_ = false;
};

// Writes a self-signed certificate for 127.0.0.1 and localhost (cert.pem, key.pem in `dir`)
// with the openssl command. Throws when openssl fails.
void write_self_signed_certificate(const std::filesystem::path& dir);

// Reads a whole file; throws when it cannot.
std::string read_file(const std::filesystem::path& path);

}  // namespace herald::test
