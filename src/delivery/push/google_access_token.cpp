#include "delivery/push/google_access_token.hpp"

#include <algorithm>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "delivery/push/push_reply.hpp"

namespace herald::delivery {
namespace {

constexpr std::int64_t kAssertionLifetimeS = 3600;
constexpr TimeMs kRenewBeforeMs = 5 * 60 * 1000;

std::string field(const boost::json::object& json, const char* name, bool required = true) {
  const auto* value = json.if_contains(name);
  if (value && value->is_string()) return std::string(value->get_string());
  if (required) throw std::runtime_error(std::string("service account: no \"") + name + "\"");
  return {};
}

}  // namespace

ServiceAccount load_service_account(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read service account file " + file.string());
  std::ostringstream text;
  text << in.rdbuf();
  boost::system::error_code error;
  auto json = boost::json::parse(text.str(), error);
  if (error || !json.is_object()) {
    throw std::runtime_error("service account file " + file.string() + " is not JSON");
  }
  const auto& object = json.as_object();
  SigningKey key = SigningKey::from_pem(field(object, "private_key"));
  if (key.algorithm() != JwtAlgorithm::rs256) {
    throw std::runtime_error("service account: the private key is not an RSA key");
  }
  return ServiceAccount{field(object, "project_id"), field(object, "client_email"),
                        field(object, "private_key_id", false), field(object, "token_uri"),
                        std::move(key)};
}

GoogleAccessToken::GoogleAccessToken(ServiceAccount account, std::string scope, HttpClient& http,
                                     const Clock& clock)
    : account_(std::move(account)), scope_(std::move(scope)), http_(http), clock_(clock) {}

Result<std::string> GoogleAccessToken::get() {
  TimeMs now = clock_.now_ms();
  if (!token_.empty() && now < renew_at_ms_) return token_;

  boost::json::object header{{"alg", "RS256"}, {"typ", "JWT"}};
  if (!account_.private_key_id.empty()) header.emplace("kid", account_.private_key_id);
  std::int64_t iat = now / 1000;
  boost::json::object claims{{"iss", account_.client_email},
                             {"scope", scope_},
                             {"aud", account_.token_uri},
                             {"iat", iat},
                             {"exp", iat + kAssertionLifetimeS}};
  HttpRequest request;
  request.method = "POST";
  request.url = account_.token_uri;
  request.headers = {{"Content-Type", "application/x-www-form-urlencoded"}};
  // A JWT is base64url and dots: nothing in it needs percent-encoding.
  request.body = "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer&assertion=" +
                 sign_jwt(account_.private_key, boost::json::serialize(header),
                          boost::json::serialize(claims));
  HttpResponse response = http_.send(request);
  if (response.status == 0) {
    return Error(errc::unavailable, "access token: " + transport_failure(response).detail);
  }
  if (response.status != 200) {
    errc code =
        response.status >= 500 || response.status == 429 ? errc::unavailable : errc::unauthorized;
    return Error(code, "access token: " + reply_detail(response));
  }
  boost::system::error_code error;
  auto json = boost::json::parse(response.body, error);
  const boost::json::object* object = !error && json.is_object() ? &json.as_object() : nullptr;
  const auto* token = object ? object->if_contains("access_token") : nullptr;
  const auto* expires_in = object ? object->if_contains("expires_in") : nullptr;
  if (!token || !token->is_string() || token->get_string().empty() || !expires_in ||
      !expires_in->is_number()) {
    return Error(errc::unavailable, "access token: unreadable reply: " + reply_detail(response));
  }
  TimeMs lifetime_ms = expires_in->to_number<std::int64_t>() * 1000;
  token_ = std::string(token->get_string());
  renew_at_ms_ = now + lifetime_ms - std::min(kRenewBeforeMs, lifetime_ms / 2);
  return token_;
}

}  // namespace herald::delivery
