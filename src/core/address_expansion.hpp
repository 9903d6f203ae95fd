// Expansion of the addresses of a notice or a broadcast into users: each address is checked
// (known, allowed by the communication rules, `all` for admins only) and groups expand to their
// members now. Mail keeps its own per-field expansion (To, CC, BCC) in MailService.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"
#include "store/store.hpp"

namespace herald {

struct AddressExpansion {
  // Every user addressed as a whole (user:ID, group:ID, all), sorted and unique. As with mail,
  // a group holding the author sends them nothing unless they addressed themselves directly.
  std::vector<Id> users;
  // device:ID addresses, by owner.
  std::map<Id, std::vector<Id>> devices;
};

// forbidden for an address the caller may not write to; bad_request for a malformed or unknown
// one, and for device:ID unless `allow_devices` (the message says what `kind` is).
Result<AddressExpansion> expand_addresses(Store& store, const Principal& caller,
                                          const std::vector<std::string>& to, bool allow_devices,
                                          std::string_view kind);

}  // namespace herald
