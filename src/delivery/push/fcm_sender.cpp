#include "delivery/push/fcm_sender.hpp"

#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "delivery/push/push_reply.hpp"

namespace herald::delivery {

std::string fcm_message_json(const Device& device, const PushMessage& message) {
  boost::json::object data{{"id", message.id}};
  if (message.url) data.emplace("url", *message.url);
  boost::json::object body{{"message",
                            {{"token", device.address},
                             {"notification", {{"title", message.title}, {"body", message.text}}},
                             {"data", std::move(data)}}}};
  return boost::json::serialize(body);
}

HttpRequest build_fcm_request(std::string_view base_url, std::string_view project_id,
                              std::string_view access_token, const Device& device,
                              const PushMessage& message) {
  std::string base(base_url);
  while (!base.empty() && base.back() == '/') base.pop_back();
  HttpRequest request;
  request.method = "POST";
  request.url = base + "/v1/projects/" + std::string(project_id) + "/messages:send";
  request.headers = {{"Authorization", "Bearer " + std::string(access_token)},
                     {"Content-Type", "application/json"}};
  request.body = fcm_message_json(device, message);
  return request;
}

std::string fcm_error_code(const HttpResponse& response) {
  boost::system::error_code error;
  auto json = boost::json::parse(response.body, error);
  if (error || !json.is_object()) return {};
  const auto* body = json.as_object().if_contains("error");
  if (!body || !body->is_object()) return {};
  if (const auto* details = body->as_object().if_contains("details");
      details && details->is_array()) {
    for (const auto& detail : details->as_array()) {
      if (!detail.is_object()) continue;
      const auto* code = detail.as_object().if_contains("errorCode");
      if (code && code->is_string()) return std::string(code->get_string());
    }
  }
  const auto* status = body->as_object().if_contains("status");
  return status && status->is_string() ? std::string(status->get_string()) : std::string();
}

Outcome fcm_outcome(const HttpResponse& response, TimeMs now_ms) {
  if (response.status == 0) return transport_failure(response);
  Outcome outcome;
  if (response.status == 200) {
    boost::system::error_code error;
    auto json = boost::json::parse(response.body, error);
    if (!error && json.is_object()) {
      if (const auto* name = json.as_object().if_contains("name"); name && name->is_string()) {
        outcome.detail = std::string(name->get_string());
      }
    }
    return outcome;
  }
  std::string code = fcm_error_code(response);
  outcome.detail = reply_detail(response);
  if (response.status == 404 || code == "UNREGISTERED") {
    outcome.verdict = Verdict::gone;
  } else if (response.status == 429 || response.status == 503) {
    outcome.verdict = Verdict::retry;
    outcome.retry_after = retry_after_of(response, now_ms);
  } else if (response.status == 401 || response.status >= 500) {
    outcome.verdict = Verdict::retry;
  } else {
    outcome.verdict = Verdict::failed;
  }
  return outcome;
}

FcmSender::FcmSender(const FcmConfig& config, const Clock& clock)
    : FcmSender(load_service_account(config.service_account_file), config.base_url, config.http,
                clock) {}

FcmSender::FcmSender(ServiceAccount account, std::string base_url, HttpClientOptions http,
                     const Clock& clock)
    : base_url_(std::move(base_url)),
      clock_(clock),
      http_(std::move(http)),
      access_token_(std::move(account), kFcmScope, http_, clock) {}

Outcome FcmSender::send_once(const Device& device, const PushMessage& message,
                             HttpResponse& response) {
  auto token = access_token_.get();
  if (!token) {
    Outcome outcome;
    outcome.verdict = token.error().code == errc::unavailable ? Verdict::retry : Verdict::failed;
    outcome.detail = token.error().message;
    return outcome;
  }
  response = http_.send(
      build_fcm_request(base_url_, access_token_.account().project_id, *token, device, message));
  return fcm_outcome(response, clock_.now_ms());
}

Outcome FcmSender::send(const Device& device, const PushMessage& message) {
  HttpResponse response;
  Outcome outcome = send_once(device, message, response);
  if (response.status == 401) {
    // Revoked or expired before its time: a new token may well be accepted at once.
    access_token_.invalidate();
    outcome = send_once(device, message, response);
    if (response.status == 401) access_token_.invalidate();
  }
  return outcome;
}

}  // namespace herald::delivery
