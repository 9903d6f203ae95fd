// Sends notifications to Android (and other Firebase) apps through the Firebase Cloud Messaging
// HTTP v1 API, authorised by the service account's OAuth 2.0 access token.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "common/time.hpp"
#include "core/device.hpp"
#include "delivery/channel.hpp"
#include "delivery/push/google_access_token.hpp"
#include "delivery/push/http_client.hpp"

namespace herald::delivery {

inline constexpr const char* kFcmScope = "https://www.googleapis.com/auth/firebase.messaging";

struct FcmConfig {
  std::filesystem::path service_account_file;  // the JSON key file from the Firebase console
  std::string base_url = "https://fcm.googleapis.com";
  HttpClientOptions http;
};

// {"message":{"token","notification":{"title","body"},"data":{"id","url"}}}, url only when
// present (data values are strings, as FCM requires).
std::string fcm_message_json(const Device& device, const PushMessage& message);

// POST {base_url}/v1/projects/{project_id}/messages:send with the access token as bearer.
HttpRequest build_fcm_request(std::string_view base_url, std::string_view project_id,
                              std::string_view access_token, const Device& device,
                              const PushMessage& message);

// FCM's errorCode ("UNREGISTERED", ...) from an error body's details, else its error status
// ("NOT_FOUND", ...), else "".
std::string fcm_error_code(const HttpResponse& response);

// FCM's reply: 200 sent (detail: the message name); 404 or UNREGISTERED gone; 429, 401 and 5xx
// retry (429 and 503 with their Retry-After); anything else failed.
Outcome fcm_outcome(const HttpResponse& response, TimeMs now_ms);

// Blocking; not thread-safe: one per worker thread. "sent" means FCM accepted the message.
class FcmSender {
 public:
  // Loads the service account; throws when it cannot. `clock` must outlive the sender.
  FcmSender(const FcmConfig& config, const Clock& clock);
  FcmSender(ServiceAccount account, std::string base_url, HttpClientOptions http,
            const Clock& clock);

  // A 401 drops the access token, and the message goes once more with a new one.
  Outcome send(const Device& device, const PushMessage& message);

 private:
  Outcome send_once(const Device& device, const PushMessage& message, HttpResponse& response);

  std::string base_url_;
  const Clock& clock_;
  HttpClient http_;
  GoogleAccessToken access_token_;
};

}  // namespace herald::delivery
