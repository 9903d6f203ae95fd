#include "api/request_context.hpp"

#include <cctype>
#include <charconv>

#include "api/json_io.hpp"
#include "common/crypto.hpp"
#include "core/auth_service.hpp"

namespace herald::api {
namespace {

constexpr int kDefaultLimit = 50;
constexpr int kMaxLimit = 200;

bool changes_state(Method method) {
  return method != Method::get && method != Method::head && method != Method::options;
}

std::optional<std::string_view> bearer_token(std::string_view authorization) {
  constexpr std::string_view kScheme = "Bearer ";
  if (authorization.size() <= kScheme.size()) return std::nullopt;
  for (std::size_t i = 0; i < kScheme.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(authorization[i])) !=
        std::tolower(static_cast<unsigned char>(kScheme[i]))) {
      return std::nullopt;
    }
  }
  return authorization.substr(kScheme.size());
}

}  // namespace

std::optional<Id> decode_cursor(std::string_view cursor) {
  std::string raw;
  if (!base64url_decode(cursor, raw) || raw.rfind("c1:", 0) != 0) return std::nullopt;
  return parse_id(std::string_view(raw).substr(3));
}

std::string csrf_token_for(std::string_view session_token) {
  Sha256 digest = sha256(std::string("herald-csrf:") + std::string(session_token));
  return base64url_encode(std::string_view(reinterpret_cast<const char*>(digest.data()), 24));
}

std::optional<std::string> cookie_value(std::string_view header, std::string_view name) {
  while (!header.empty()) {
    auto semicolon = header.find(';');
    std::string_view pair = header.substr(0, semicolon);
    header =
        semicolon == std::string_view::npos ? std::string_view() : header.substr(semicolon + 1);
    while (!pair.empty() && pair.front() == ' ') pair.remove_prefix(1);
    auto eq = pair.find('=');
    if (eq != std::string_view::npos && pair.substr(0, eq) == name) {
      return std::string(pair.substr(eq + 1));
    }
  }
  return std::nullopt;
}

std::optional<std::string> RequestContext::presented_token() const {
  if (auto bearer = bearer_token(request_.authorization)) return std::string(*bearer);
  return cookie_value(request_.cookie, kSessionCookie);
}

Result<Principal> RequestContext::principal() {
  if (!request_.authorization.empty()) {
    auto bearer = bearer_token(request_.authorization);
    if (!bearer) return fail(errc::unauthorized, "use 'Authorization: Bearer TOKEN'");
    return services_.auth.authenticate(*bearer);
  }
  auto session = cookie_value(request_.cookie, kSessionCookie);
  if (!session) return fail(errc::unauthorized, "log in first");
  if (changes_state(request_.method) &&
      !constant_time_equal(request_.csrf_token, csrf_token_for(*session))) {
    return fail(errc::forbidden, "missing or wrong X-CSRF-Token header");
  }
  return services_.auth.authenticate(*session);
}

Result<const QueryParams*> RequestContext::query() {
  if (!query_) {
    auto parsed = QueryParams::parse(request_.query);
    if (!parsed) return fail(errc::bad_request, "the query string is malformed");
    query_ = std::move(*parsed);
  }
  return &*query_;
}

Result<int> RequestContext::limit() {
  auto params = query();
  if (!params) return params.error();
  auto limit = (*params)->get("limit");
  if (!limit) return kDefaultLimit;
  long long value = 0;
  auto [end, ec] = std::from_chars(limit->data(), limit->data() + limit->size(), value);
  if (ec != std::errc() || end != limit->data() + limit->size() || value < 1) {
    return fail(errc::bad_request, "limit must be a whole number from 1 to 200");
  }
  return static_cast<int>(std::min<long long>(value, kMaxLimit));
}

Result<PageRequest> RequestContext::page() {
  auto params = query();
  if (!params) return params.error();
  auto limit_value = limit();
  if (!limit_value) return limit_value.error();
  PageRequest page;
  page.limit = *limit_value;
  if (auto cursor = (*params)->get("cursor"); cursor && !cursor->empty()) {
    auto after = decode_cursor(*cursor);
    if (!after) return fail(errc::bad_request, "the cursor is not one this server gave out");
    page.after = *after;
  }
  return page;
}

std::string encode_cursor(Id after) {
  return base64url_encode("c1:" + std::to_string(after));
}

boost::json::value cursor_json(const std::optional<Id>& next_after) {
  if (!next_after) return nullptr;
  return boost::json::value(encode_cursor(*next_after));
}

}  // namespace herald::api
