// Rules for the text fields of the directory and of messages. Each returns an Error naming the
// field, or nothing.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "common/error.hpp"

namespace herald {

std::optional<Error> check_username(std::string_view username);
std::optional<Error> check_display_name(std::string_view name);
std::optional<Error> check_email(std::string_view email);
std::optional<Error> check_password(std::string_view password);
std::optional<Error> check_group_name(std::string_view name);
std::optional<Error> check_description(std::string_view description);

// A message's subject: at most 998 bytes (it becomes an email's header line, RFC 5322), UTF-8,
// no control characters; empty only when `allow_empty`.
std::optional<Error> check_subject(std::string_view subject, bool allow_empty);
// A message's body: UTF-8, at most `max_bytes` (too_large beyond); empty only when
// `allow_empty`.
std::optional<Error> check_body(std::string_view body, std::size_t max_bytes, bool allow_empty);

// ASCII lower-casing, for usernames and search prefixes.
std::string ascii_lower(std::string_view text);

}  // namespace herald
