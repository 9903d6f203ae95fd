// Recipient addresses: "user:ID", "group:ID", "device:ID" and "all".
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/model.hpp"

namespace herald {

struct Address {
  enum class Type { user, group, device, all };
  Type type = Type::user;
  Id id = 0;  // 0 for `all`

  std::string text() const;
  bool operator==(const Address&) const = default;
};

std::optional<Address> parse_address(std::string_view text);

}  // namespace herald
