#include "core/address.hpp"

#include <charconv>

namespace herald {

std::string Address::text() const {
  switch (type) {
    case Type::user:
      return "user:" + std::to_string(id);
    case Type::group:
      return "group:" + std::to_string(id);
    case Type::device:
      return "device:" + std::to_string(id);
    case Type::all:
      return "all";
  }
  return "all";
}

std::optional<Address> parse_address(std::string_view text) {
  if (text == "all") return Address{Address::Type::all, 0};
  auto colon = text.find(':');
  if (colon == std::string_view::npos) return std::nullopt;
  std::string_view kind = text.substr(0, colon);
  std::string_view number = text.substr(colon + 1);
  Address address;
  if (kind == "user") {
    address.type = Address::Type::user;
  } else if (kind == "group") {
    address.type = Address::Type::group;
  } else if (kind == "device") {
    address.type = Address::Type::device;
  } else {
    return std::nullopt;
  }
  if (number.empty() || number.size() > 18 || number.front() == '0') return std::nullopt;
  auto [end, ec] = std::from_chars(number.data(), number.data() + number.size(), address.id);
  if (ec != std::errc() || end != number.data() + number.size() || address.id <= 0) {
    return std::nullopt;
  }
  return address;
}

}  // namespace herald
