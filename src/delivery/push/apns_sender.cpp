#include "delivery/push/apns_sender.hpp"

#include <array>
#include <stdexcept>

#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "common/crypto.hpp"
#include "delivery/push/push_reply.hpp"

namespace herald::delivery {
namespace {

constexpr TimeMs kTokenRefreshMs = 50 * 60 * 1000;

}  // namespace

std::string apns_id_for(std::string_view message_id) {
  Sha256 digest = sha256(message_id);
  digest[6] = static_cast<std::uint8_t>((digest[6] & 0x0F) | 0x80);  // version 8
  digest[8] = static_cast<std::uint8_t>((digest[8] & 0x3F) | 0x80);  // variant 10
  static constexpr char kHex[] = "0123456789abcdef";
  std::string uuid;
  for (std::size_t i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) uuid += '-';
    uuid += kHex[digest[i] >> 4];
    uuid += kHex[digest[i] & 0x0F];
  }
  return uuid;
}

std::string apns_payload(const PushMessage& message) {
  boost::json::object payload{
      {"aps", {{"alert", {{"title", message.title}, {"body", message.text}}}}}, {"id", message.id}};
  if (message.url) payload.emplace("url", *message.url);
  return boost::json::serialize(payload);
}

HttpRequest build_apns_request(const ApnsConfig& config, std::string_view provider_token,
                               const Device& device, const PushMessage& message, TimeMs now_ms) {
  std::string base = config.base_url;
  while (!base.empty() && base.back() == '/') base.pop_back();
  std::int64_t expiration = message.ttl_seconds > 0 ? now_ms / 1000 + message.ttl_seconds : 0;
  HttpRequest request;
  request.method = "POST";
  request.url = base + "/3/device/" + device.address;
  request.headers = {
      {"authorization", "bearer " + std::string(provider_token)},
      {"apns-topic", config.topic},
      {"apns-push-type", "alert"},
      {"apns-id", apns_id_for(message.id)},
      {"apns-expiration", std::to_string(expiration)},
      {"apns-priority", message.urgency == "high" ? "10" : "5"},
      {"content-type", "application/json"},
  };
  request.body = apns_payload(message);
  return request;
}

std::string apns_reason(const HttpResponse& response) {
  boost::system::error_code error;
  auto body = boost::json::parse(response.body, error);
  if (error || !body.is_object()) return {};
  const auto* reason = body.as_object().if_contains("reason");
  return reason && reason->is_string() ? std::string(reason->get_string()) : std::string();
}

Outcome apns_outcome(const HttpResponse& response, TimeMs now_ms) {
  if (response.status == 0) return transport_failure(response);
  Outcome outcome;
  if (response.status == 200) {
    if (const std::string* id = response.header("apns-id")) outcome.detail = *id;
    return outcome;
  }
  std::string reason = apns_reason(response);
  outcome.detail = reason.empty() ? reply_detail(response)
                                  : "HTTP " + std::to_string(response.status) + " " + reason;
  if (response.status == 410 || reason == "BadDeviceToken" || reason == "Unregistered" ||
      reason == "DeviceTokenNotForTopic") {
    outcome.verdict = Verdict::gone;
  } else if (response.status == 429 || response.status >= 500) {
    outcome.verdict = Verdict::retry;
    outcome.retry_after = retry_after_of(response, now_ms);
  } else {
    outcome.verdict = Verdict::failed;
  }
  return outcome;
}

ApnsSender::ApnsSender(ApnsConfig config, const Clock& clock)
    : ApnsSender(config, SigningKey::from_pem_file(config.key_file), clock) {}

ApnsSender::ApnsSender(ApnsConfig config, SigningKey key, const Clock& clock)
    : config_(std::move(config)), key_(std::move(key)), clock_(clock), http_(config_.http) {
  if (key_.algorithm() != JwtAlgorithm::es256) {
    throw std::runtime_error("the APNs key must be a P-256 key (.p8)");
  }
}

const std::string& ApnsSender::provider_token() {
  TimeMs now = clock_.now_ms();
  if (token_.empty() || now - token_issued_ms_ >= kTokenRefreshMs) {
    boost::json::object header{{"alg", "ES256"}, {"kid", config_.key_id}};
    boost::json::object claims{{"iss", config_.team_id}, {"iat", now / 1000}};
    token_ = sign_jwt(key_, boost::json::serialize(header), boost::json::serialize(claims));
    token_issued_ms_ = now;
  }
  return token_;
}

Outcome ApnsSender::send(const Device& device, const PushMessage& message) {
  HttpResponse response =
      http_.send(build_apns_request(config_, provider_token(), device, message, clock_.now_ms()));
  if (response.status == 403 && apns_reason(response) == "ExpiredProviderToken") {
    // Our clock and Apple's disagree on the token's age: sign a new one and try once more.
    token_.clear();
    response =
        http_.send(build_apns_request(config_, provider_token(), device, message, clock_.now_ms()));
  }
  Outcome outcome = apns_outcome(response, clock_.now_ms());
  // Still "expired" with a token signed just now: a clock to fix, not a message to drop.
  if (response.status == 403 && apns_reason(response) == "ExpiredProviderToken") {
    outcome.verdict = Verdict::retry;
  }
  return outcome;
}

}  // namespace herald::delivery
