#include "api/json_io.hpp"

#include <charconv>

#include <fmt/format.h>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

namespace herald::api {
namespace {

Error bad_type(std::string_view key, const char* expected) {
  return fail(errc::bad_request, fmt::format("field '{}' must be {}", key, expected));
}

}  // namespace

Result<json::object> parse_object(std::string_view body) {
  if (body.empty()) return fail(errc::bad_request, "the request needs a JSON object body");
  boost::system::error_code ec;
  json::parse_options options;
  options.max_depth = 32;
  json::value value = json::parse(body, ec, {}, options);
  if (ec) return fail(errc::bad_request, "the body is not valid JSON: " + ec.message());
  if (!value.is_object()) return fail(errc::bad_request, "the body must be a JSON object");
  return std::move(value.as_object());
}

Result<void> allow_only(const json::object& object,
                        std::initializer_list<std::string_view> allowed) {
  for (const auto& field : object) {
    bool known = false;
    for (auto name : allowed) known = known || field.key() == name;
    if (!known) {
      return fail(errc::bad_request,
                  fmt::format("unknown field '{}'", std::string_view(field.key())));
    }
  }
  return {};
}

Result<std::string> required_string(const json::object& object, std::string_view key) {
  auto it = object.find(key);
  if (it == object.end() || it->value().is_null()) {
    return fail(errc::bad_request, fmt::format("field '{}' is required", key));
  }
  if (!it->value().is_string()) return bad_type(key, "a string");
  return std::string(it->value().get_string());
}

Result<std::optional<std::string>> optional_string(const json::object& object,
                                                   std::string_view key) {
  auto it = object.find(key);
  if (it == object.end() || it->value().is_null()) return std::optional<std::string>();
  if (!it->value().is_string()) return bad_type(key, "a string");
  return std::optional<std::string>(std::string(it->value().get_string()));
}

Result<std::optional<std::optional<std::string>>> nullable_string(const json::object& object,
                                                                  std::string_view key) {
  using Out = std::optional<std::optional<std::string>>;
  auto it = object.find(key);
  if (it == object.end()) return Out();
  if (it->value().is_null()) return Out(std::optional<std::string>());
  if (!it->value().is_string()) return bad_type(key, "a string or null");
  return Out(std::optional<std::string>(std::string(it->value().get_string())));
}

Result<std::vector<std::string>> string_list(const json::object& object, std::string_view key) {
  std::vector<std::string> out;
  auto it = object.find(key);
  if (it == object.end() || it->value().is_null()) return out;
  auto wrong = [&] {
    return fail(errc::bad_request, "field '" + std::string(key) + "' must be an array of strings");
  };
  if (!it->value().is_array()) return wrong();
  for (const auto& item : it->value().as_array()) {
    if (!item.is_string()) return wrong();
    out.emplace_back(item.get_string());
  }
  return out;
}

Result<std::optional<bool>> optional_bool(const json::object& object, std::string_view key) {
  auto it = object.find(key);
  if (it == object.end() || it->value().is_null()) return std::optional<bool>();
  if (!it->value().is_bool()) return bad_type(key, "true or false");
  return std::optional<bool>(it->value().get_bool());
}

std::string id_string(Id id) {
  return std::to_string(id);
}

std::optional<Id> parse_id(std::string_view text) {
  if (text.empty() || text.size() > 18 || text.front() == '0') return std::nullopt;
  Id id = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (ec != std::errc() || end != text.data() + text.size() || id <= 0) return std::nullopt;
  return id;
}

json::object to_json(const User& user) {
  json::object out;
  out["id"] = id_string(user.id);
  out["username"] = user.username;
  out["display_name"] = user.display_name;
  out["email"] = user.email ? json::value(*user.email) : json::value(nullptr);
  out["role"] = role_name(user.role);
  out["created_at"] = format_rfc3339(user.created_at);
  return out;
}

json::object to_json_summary(const User& user) {
  json::object out;
  out["id"] = id_string(user.id);
  out["username"] = user.username;
  out["display_name"] = user.display_name;
  return out;
}

json::object to_json(const Group& group) {
  json::object out;
  out["id"] = id_string(group.id);
  out["name"] = group.name;
  out["description"] = group.description;
  out["member_count"] = group.member_count;
  out["created_at"] = format_rfc3339(group.created_at);
  return out;
}

json::object to_json(const DirectoryEntry& entry) {
  json::object out;
  bool user = entry.kind == DirectoryEntry::Kind::user;
  out["type"] = user ? "user" : "group";
  out["id"] = id_string(entry.id);
  out["address"] = (user ? "user:" : "group:") + id_string(entry.id);
  if (user) {
    out["username"] = entry.name;
    out["display_name"] = entry.display_name;
  } else {
    out["name"] = entry.name;
    out["description"] = entry.display_name;
    out["member_count"] = entry.member_count;
  }
  return out;
}

ApiResponse json_response(int status, const json::value& body) {
  ApiResponse response;
  response.status = status;
  response.body = json::serialize(body);
  return response;
}

ApiResponse no_content() {
  ApiResponse response;
  response.status = 204;
  response.content_type.clear();
  return response;
}

int http_status(errc code) noexcept {
  switch (code) {
    case errc::ok:
      return 200;
    case errc::bad_request:
      return 400;
    case errc::unauthorized:
      return 401;
    case errc::forbidden:
      return 403;
    case errc::not_found:
      return 404;
    case errc::conflict:
      return 409;
    case errc::gone:
      return 410;
    case errc::too_large:
      return 413;
    case errc::rate_limited:
      return 429;
    case errc::unavailable:
      return 503;
    case errc::internal:
      return 500;
  }
  return 500;
}

ApiResponse error_response(const Error& error) {
  json::object inner;
  inner["code"] = errc_name(error.code);
  inner["message"] = error.message;
  json::object body;
  body["error"] = std::move(inner);
  ApiResponse response = json_response(http_status(error.code), body);
  if (error.code == errc::rate_limited && error.retry_after_seconds > 0) {
    response.headers.emplace_back("Retry-After", std::to_string(error.retry_after_seconds));
  }
  if (error.code == errc::unauthorized) response.headers.emplace_back("WWW-Authenticate", "Bearer");
  return response;
}

}  // namespace herald::api
