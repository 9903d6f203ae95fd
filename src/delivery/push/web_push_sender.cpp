#include "delivery/push/web_push_sender.hpp"

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include "common/crypto.hpp"
#include "delivery/push/push_reply.hpp"

namespace herald::delivery {
namespace {

bool is_urgency(const std::string& urgency) {
  return urgency == "very-low" || urgency == "low" || urgency == "normal" || urgency == "high";
}

}  // namespace

std::string web_push_payload(const PushMessage& message) {
  boost::json::object payload{{"id", message.id}, {"title", message.title}, {"text", message.text}};
  if (message.url) payload.emplace("url", *message.url);
  return boost::json::serialize(payload);
}

Result<HttpRequest> build_web_push_request(const Device& device, const PushMessage& message,
                                           VapidSigner& vapid, WebPushEncryptor& encryptor) {
  std::string ua_public;
  std::string auth_secret;
  if (!base64url_decode(device.p256dh, ua_public) || !base64url_decode(device.auth, auth_secret)) {
    return Error(errc::bad_request, "the subscription's keys are not base64url");
  }
  const std::string& authorization = vapid.authorization(device.address);
  if (authorization.empty()) {
    return Error(errc::bad_request, "the endpoint is not an http(s) URL");
  }
  auto body = encryptor.encrypt(web_push_payload(message), ua_public, auth_secret);
  if (!body) return body.error();

  HttpRequest request;
  request.method = "POST";
  request.url = device.address;
  request.headers = {
      {"Content-Encoding", "aes128gcm"},
      {"Content-Type", "application/octet-stream"},
      {"TTL", std::to_string(message.ttl_seconds > 0 ? message.ttl_seconds : 0)},
      {"Urgency", is_urgency(message.urgency) ? message.urgency : "normal"},
      {"Authorization", authorization},
  };
  request.body = std::move(body).value();
  return request;
}

Outcome web_push_outcome(const HttpResponse& response, TimeMs now_ms) {
  if (response.status == 0) return transport_failure(response);
  Outcome outcome;
  long status = response.status;
  if (status == 200 || status == 201 || status == 202) {
    outcome.verdict = Verdict::sent;
    // RFC 8030 §5: the push message's resource, the service's id for it.
    if (const std::string* location = response.header("location")) outcome.detail = *location;
    return outcome;
  }
  outcome.detail = reply_detail(response);
  if (status == 404 || status == 410) {
    outcome.verdict = Verdict::gone;
  } else if (status == 429 || status == 503) {
    outcome.verdict = Verdict::retry;
    outcome.retry_after = retry_after_of(response, now_ms);
  } else if (status >= 500) {
    outcome.verdict = Verdict::retry;
  } else {
    outcome.verdict = Verdict::failed;
  }
  return outcome;
}

WebPushSender::WebPushSender(const WebPushConfig& config, const Clock& clock)
    : WebPushSender(load_or_create_vapid_key(config.vapid_key_file), config.subject, config.http,
                    clock) {}

WebPushSender::WebPushSender(SigningKey vapid_key, std::string subject, HttpClientOptions http,
                             const Clock& clock)
    : clock_(clock),
      vapid_(std::move(vapid_key), VapidOptions{.subject = std::move(subject)}, clock),
      http_(std::move(http)) {}

Outcome WebPushSender::send(const Device& device, const PushMessage& message) {
  auto request = build_web_push_request(device, message, vapid_, encryptor_);
  if (!request) {
    Outcome outcome;
    outcome.verdict = Verdict::failed;
    outcome.detail = request.error().message;
    return outcome;
  }
  return web_push_outcome(http_.send(*request), clock_.now_ms());
}

}  // namespace herald::delivery
