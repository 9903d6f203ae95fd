#include "core/model.hpp"

namespace herald {

const char* role_name(Role role) noexcept {
  switch (role) {
    case Role::admin:
      return "admin";
    case Role::sender:
      return "sender";
    case Role::user:
      return "user";
  }
  return "user";
}

std::optional<Role> parse_role(std::string_view text) noexcept {
  if (text == "admin") return Role::admin;
  if (text == "sender") return Role::sender;
  if (text == "user") return Role::user;
  return std::nullopt;
}

}  // namespace herald
