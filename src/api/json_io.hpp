// JSON in and out of handlers: strict request parsing (types, unknown fields) and the
// serialised shapes of the API's objects.
#pragma once

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include "api/http_types.hpp"
#include "common/result.hpp"
#include "core/model.hpp"

namespace herald::api {

namespace json = boost::json;

// The body as a JSON object; bad_request for an empty body, bad JSON, bad UTF-8 or a non-object.
Result<json::object> parse_object(std::string_view body);

// Refuses fields not in `allowed`, naming the first one found.
Result<void> allow_only(const json::object& object,
                        std::initializer_list<std::string_view> allowed);

Result<std::string> required_string(const json::object& object, std::string_view key);
Result<std::optional<std::string>> optional_string(const json::object& object,
                                                   std::string_view key);
// Absent: nothing; null: engaged-but-empty; a string: that string.
Result<std::optional<std::optional<std::string>>> nullable_string(const json::object& object,
                                                                  std::string_view key);
// An array of strings; absent or null is empty.
Result<std::vector<std::string>> string_list(const json::object& object, std::string_view key);
Result<std::optional<bool>> optional_bool(const json::object& object, std::string_view key);

std::string id_string(Id id);
// Ids in paths are opaque strings; anything that is not one of ours is simply not found.
std::optional<Id> parse_id(std::string_view text);

json::object to_json(const User& user);
// What any user may see of another: id, username, display name.
json::object to_json_summary(const User& user);
json::object to_json(const Group& group);
json::object to_json(const DirectoryEntry& entry);

ApiResponse json_response(int status, const json::value& body);
ApiResponse no_content();
ApiResponse error_response(const Error& error);
int http_status(errc code) noexcept;

}  // namespace herald::api
