// Rules for the text fields of the directory. Each returns an Error naming the field, or nothing.
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

// ASCII lower-casing, for usernames and search prefixes.
std::string ascii_lower(std::string_view text);

}  // namespace herald
