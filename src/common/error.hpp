// Product-level failure codes shared by every layer, with a std::error_category.
#pragma once

#include <string>
#include <system_error>
#include <utility>

namespace herald {

enum class errc {
  ok = 0,
  bad_request,   // malformed or invalid input
  unauthorized,  // no or bad credentials
  forbidden,     // authenticated, but the role does not allow the action
  not_found,     // absent, or not visible to the caller
  conflict,      // violates a uniqueness or state rule
  gone,          // existed, and was withdrawn (a retracted broadcast)
  too_large,     // body or field over its limit
  rate_limited,  // too many attempts
  unavailable,   // shutting down or overloaded
  internal,      // a fault that is not the caller's
};

const std::error_category& herald_category() noexcept;

inline std::error_code make_error_code(errc e) noexcept {
  return {static_cast<int>(e), herald_category()};
}

// The machine-readable code sent in JSON error bodies ("not_found", ...).
const char* errc_name(errc e) noexcept;

// A failure with a human-readable message for the caller.
struct Error {
  errc code = errc::internal;
  std::string message;
  int retry_after_seconds = 0;  // set with rate_limited

  Error() = default;
  Error(errc c, std::string m) : code(c), message(std::move(m)) {}
};

}  // namespace herald

template <>
struct std::is_error_code_enum<herald::errc> : std::true_type {};
