// Sends the outbox's emails to one SMTP relay over libcurl, keeping the connection open between
// sends.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "delivery/channel.hpp"

namespace herald::delivery {

struct SmtpConfig {
  enum class StartTls {
    none,           // plain SMTP (smtp:// only)
    opportunistic,  // STARTTLS when the server offers it, plain otherwise
    required,       // STARTTLS or no send (the outcome is retry: the relay is at fault)
  };

  // smtp://host:port (STARTTLS as below) or smtps://host:port (TLS from the first byte).
  std::string url;
  // AUTH when username is not empty. Sent in clear over smtp:// without TLS.
  std::string username;
  std::string password;
  StartTls starttls = StartTls::opportunistic;
  bool verify_peer = true;  // the relay's certificate and host name
  std::string ca_file;      // trusted CAs in PEM; empty: the system's
  // The limit on one whole send: connecting, the SMTP dialogue and the upload of the message.
  std::chrono::milliseconds timeout{30'000};
};

// One SMTP client connection, opened on the first send and reused by the next ones while the
// relay keeps it open. Not thread-safe: each worker thread owns its own sender. send() blocks
// for at most about `timeout` (twice when it retries a reused connection the relay had dropped).
class SmtpSender {
 public:
  // Connects on the first send. Throws std::invalid_argument for a URL that is not smtp:// or
  // smtps://, a configuration error to report at start-up.
  explicit SmtpSender(SmtpConfig config);
  ~SmtpSender();
  SmtpSender(const SmtpSender&) = delete;
  SmtpSender& operator=(const SmtpSender&) = delete;

  // MAIL FROM email.from.address, RCPT TO email.to.address, DATA compose_mime(email).
  // sent: the relay took responsibility for the message (detail: its reply, often a queue id).
  // retry: a 4xx reply, or no usable connection (refused, dropped, timed out, TLS failed).
  // failed: a 5xx reply (detail: the relay's code and text), or an email that cannot be
  // composed (an invalid address, an attachment file that cannot be read).
  Outcome send(const OutgoingEmail& email);

 private:
  struct Connection;
  std::unique_ptr<Connection> connection_;
};

}  // namespace herald::delivery
