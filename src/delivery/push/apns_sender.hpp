// Sends notifications to Apple devices through APNs' HTTP/2 provider API, authenticated with a
// provider token (an ES256 JWT from the team's .p8 key) that is signed once and reused.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "common/time.hpp"
#include "core/device.hpp"
#include "delivery/channel.hpp"
#include "delivery/push/http_client.hpp"
#include "delivery/push/jwt.hpp"

namespace herald::delivery {

struct ApnsConfig {
  std::filesystem::path key_file;  // the .p8 (PKCS#8 PEM) key from Apple's developer account
  std::string key_id;              // its Key ID, the token's "kid"
  std::string team_id;             // the Team ID, the token's "iss"
  std::string topic;               // the app's bundle id
  // https://api.sandbox.push.apple.com for development builds of the app.
  std::string base_url = "https://api.push.apple.com";
  HttpClientOptions http;
};

// A UUID derived from the message id (SHA-256, RFC 9562 version 8): the same on every retry,
// so Apple's and our logs name one notification alike.
std::string apns_id_for(std::string_view message_id);

// {"aps":{"alert":{"title","body"}},"id",...,"url"} (url only when present).
std::string apns_payload(const PushMessage& message);

// The request for one notification, with `provider_token` as its bearer: POST
// {base_url}/3/device/{token}, apns-topic, apns-push-type: alert, apns-id, apns-expiration
// (0 for a ttl of 0: deliver now or never), apns-priority 10 for "high" urgency, else 5.
HttpRequest build_apns_request(const ApnsConfig& config, std::string_view provider_token,
                               const Device& device, const PushMessage& message, TimeMs now_ms);

// APNs' reply: 200 sent (detail: the apns-id); 410, or 400 BadDeviceToken, Unregistered or
// DeviceTokenNotForTopic, gone; 429 and 5xx retry; anything else failed with Apple's reason.
Outcome apns_outcome(const HttpResponse& response, TimeMs now_ms);

// The "reason" of an APNs error body, or "".
std::string apns_reason(const HttpResponse& response);

// Blocking; not thread-safe: one per worker thread. "sent" means APNs accepted the
// notification for delivery, not that the device has shown it.
class ApnsSender {
 public:
  // Loads the key file; throws when it holds no P-256 key. `clock` must outlive the sender.
  ApnsSender(ApnsConfig config, const Clock& clock);
  ApnsSender(ApnsConfig config, SigningKey key, const Clock& clock);

  Outcome send(const Device& device, const PushMessage& message);

 private:
  // Signed on first use and again once it is 50 minutes old: APNs refuses tokens older than
  // an hour, and tokens renewed more often than every 20 minutes.
  const std::string& provider_token();

  ApnsConfig config_;
  SigningKey key_;
  const Clock& clock_;
  HttpClient http_;
  std::string token_;
  TimeMs token_issued_ms_ = 0;
};

}  // namespace herald::delivery
