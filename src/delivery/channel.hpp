// What the outbox hands to a sender, and what a sender answers. Senders are plain blocking
// classes, one per worker thread (each keeps its own connections open between sends); the
// outbox turns their answers into delivery rows: sent, a retry with backoff, failed, or the
// device removed.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "core/device.hpp"

namespace herald::delivery {

enum class Verdict {
  sent,    // accepted by the next hop
  retry,   // a transient failure: try again later
  failed,  // a permanent failure: do not try again
  gone,    // the push registration no longer exists: remove the device
};

struct Outcome {
  Verdict verdict = Verdict::sent;
  std::string detail;  // the error for anything but sent; the peer's id for sent, if any
  std::optional<std::chrono::seconds> retry_after;  // the peer asked us to wait this long
};

struct MailAddress {
  std::string address;  // addr-spec, ASCII
  std::string name;     // display name, UTF-8, may be empty
};

struct EmailAttachment {
  std::string name;  // UTF-8 file name
  std::string type;  // MIME type
  std::filesystem::path path;
};

struct OutgoingEmail {
  MailAddress from;
  MailAddress to;
  std::string subject;       // UTF-8
  std::string text;          // the plain-text part (the body as written)
  std::string html;          // the HTML part (the body rendered and sanitised)
  std::string message_id;    // idempotency key, without angle brackets: "d42.m17@host"
  std::int64_t date_ms = 0;  // Date header, Unix milliseconds
  std::vector<EmailAttachment> attachments;
};

// A push notification as every platform carries it.
struct PushMessage {
  std::string id;     // idempotency key, stable across retries of one delivery
  std::string title;  // UTF-8
  std::string text;   // UTF-8
  std::optional<std::string> url;
  int ttl_seconds = 86400;
  std::string urgency = "normal";  // RFC 8030: very-low, low, normal, high
};

}  // namespace herald::delivery
