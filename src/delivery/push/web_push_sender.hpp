// Sends notifications to browsers through their push services (RFC 8030), encrypted for the
// subscription (RFC 8291) and signed with the server's VAPID key (RFC 8292).
#pragma once

#include <filesystem>
#include <string>

#include "common/result.hpp"
#include "common/time.hpp"
#include "core/device.hpp"
#include "delivery/channel.hpp"
#include "delivery/push/http_client.hpp"
#include "delivery/push/vapid.hpp"
#include "delivery/push/web_push_crypto.hpp"

namespace herald::delivery {

struct WebPushConfig {
  std::filesystem::path vapid_key_file;  // PEM; created (mode 0600) when absent
  std::string subject;                   // "mailto:..." or "https://...": who runs this server
  HttpClientOptions http;
};

// The JSON the service worker receives: {"id","title","text","url"}, url only when present.
std::string web_push_payload(const PushMessage& message);

// The request for one notification to one browser, without sending it: POST to the endpoint,
// the encrypted payload, TTL, Urgency and the (cached) VAPID Authorization. bad_request when
// the device's keys are unusable, too_large when the payload does not fit one record.
Result<HttpRequest> build_web_push_request(const Device& device, const PushMessage& message,
                                           VapidSigner& vapid, WebPushEncryptor& encryptor);

// A push service's reply: 200/201/202 sent; 404/410 gone; 429 and 503 retry with their
// Retry-After; other 5xx retry; other statuses failed. A missing reply is a retry.
Outcome web_push_outcome(const HttpResponse& response, TimeMs now_ms);

// Blocking; not thread-safe: one per worker thread, each with its own connections and VAPID
// cache. "sent" means the push service accepted the message (201), not that the browser has it.
class WebPushSender {
 public:
  // Loads or creates the VAPID key (throws when it cannot). `clock` must outlive the sender.
  WebPushSender(const WebPushConfig& config, const Clock& clock);
  WebPushSender(SigningKey vapid_key, std::string subject, HttpClientOptions http,
                const Clock& clock);

  Outcome send(const Device& device, const PushMessage& message);

  // The VAPID public key (base64url) that browsers subscribe with.
  const std::string& public_key() const noexcept { return vapid_.public_key(); }

 private:
  const Clock& clock_;
  VapidSigner vapid_;
  WebPushEncryptor encryptor_;
  HttpClient http_;
};

}  // namespace herald::delivery
