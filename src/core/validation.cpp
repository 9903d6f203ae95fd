#include "core/validation.hpp"

#include <fmt/format.h>

#include "common/utf8.hpp"

namespace herald {
namespace {

bool has_control_character(std::string_view text) {
  for (unsigned char c : text) {
    if (c < 0x20 || c == 0x7F) return true;
  }
  return false;
}

std::optional<Error> check_text(std::string_view field, std::string_view text,
                                std::size_t max_bytes, bool allow_empty) {
  if (!allow_empty && text.empty()) {
    return Error(errc::bad_request, fmt::format("{} must not be empty", field));
  }
  if (text.size() > max_bytes) {
    return Error(errc::bad_request, fmt::format("{} is longer than {} bytes", field, max_bytes));
  }
  if (!is_valid_utf8(text)) return Error(errc::bad_request, fmt::format("{} is not UTF-8", field));
  if (has_control_character(text)) {
    return Error(errc::bad_request, fmt::format("{} holds control characters", field));
  }
  return std::nullopt;
}

}  // namespace

std::optional<Error> check_subject(std::string_view subject, bool allow_empty) {
  return check_text("subject", subject, 998, allow_empty);
}

std::optional<Error> check_body(std::string_view body, std::size_t max_bytes, bool allow_empty) {
  if (!allow_empty && body.empty()) return Error(errc::bad_request, "body must not be empty");
  if (!is_valid_utf8(body)) return Error(errc::bad_request, "body is not UTF-8");
  if (body.size() > max_bytes) {
    return Error(errc::too_large, fmt::format("body is longer than {} bytes", max_bytes));
  }
  return std::nullopt;
}

std::optional<Error> check_username(std::string_view username) {
  auto bad = [] {
    return Error(errc::bad_request,
                 "username must be 1 to 64 characters of a-z, 0-9, '.', '_' or '-', starting with "
                 "a letter or digit");
  };
  if (username.empty() || username.size() > 64) return bad();
  for (std::size_t i = 0; i < username.size(); ++i) {
    char c = username[i];
    bool alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    if (!alnum && (i == 0 || (c != '.' && c != '_' && c != '-'))) return bad();
  }
  return std::nullopt;
}

std::optional<Error> check_display_name(std::string_view name) {
  return check_text("display_name", name, 200, false);
}

std::optional<Error> check_email(std::string_view email) {
  if (auto error = check_text("email", email, 254, false)) return error;
  auto at = email.find('@');
  bool shaped = at != std::string_view::npos && at > 0 && at + 1 < email.size() &&
                email.find('@', at + 1) == std::string_view::npos &&
                email.find(' ') == std::string_view::npos &&
                email.substr(at + 1).find('.') != std::string_view::npos;
  if (!shaped) return Error(errc::bad_request, "email is not an address like name@example.org");
  return std::nullopt;
}

std::optional<Error> check_password(std::string_view password) {
  if (password.size() < 8) {
    return Error(errc::bad_request, "password must be at least 8 characters");
  }
  if (password.size() > 1024) return Error(errc::bad_request, "password is longer than 1024 bytes");
  if (!is_valid_utf8(password)) return Error(errc::bad_request, "password is not UTF-8");
  return std::nullopt;
}

std::optional<Error> check_group_name(std::string_view name) {
  return check_text("name", name, 100, false);
}

std::optional<Error> check_description(std::string_view description) {
  return check_text("description", description, 1000, true);
}

std::string ascii_lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

}  // namespace herald
