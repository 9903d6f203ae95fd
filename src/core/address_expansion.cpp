#include "core/address_expansion.hpp"

#include <algorithm>
#include <set>

#include <fmt/format.h>

#include "core/address.hpp"
#include "core/communication_policy.hpp"

namespace herald {

Result<AddressExpansion> expand_addresses(Store& store, const Principal& caller,
                                          const std::vector<std::string>& to, bool allow_devices,
                                          std::string_view kind) {
  CommunicationPolicy policy(store, caller);
  AddressExpansion out;
  std::vector<Id> direct;
  std::vector<Id> grouped;
  bool author_addressed = false;
  std::set<std::string> seen;
  auto unknown = [](const std::string& text) {
    return fail(errc::bad_request, fmt::format("unknown recipient {}", text));
  };
  auto refused = [](const std::string& text) {
    return fail(errc::forbidden, fmt::format("you may not write to {}", text));
  };
  for (const auto& text : to) {
    if (!seen.insert(text).second) continue;
    auto address = parse_address(text);
    if (!address) return fail(errc::bad_request, fmt::format("'{}' is not an address", text));
    switch (address->type) {
      case Address::Type::user:
        if (!store.find_user(address->id)) return unknown(text);
        if (!policy.may_address_user(address->id)) return refused(text);
        if (address->id == caller.user_id) author_addressed = true;
        direct.push_back(address->id);
        break;
      case Address::Type::group: {
        if (!store.find_group(address->id)) return unknown(text);
        if (!policy.may_address_group(address->id)) return refused(text);
        auto members = store.group_member_ids(address->id);
        grouped.insert(grouped.end(), members.begin(), members.end());
        break;
      }
      case Address::Type::all: {
        if (!caller.is_admin()) return fail(errc::forbidden, "only admins may write to all");
        auto everyone = store.all_user_ids();
        grouped.insert(grouped.end(), everyone.begin(), everyone.end());
        break;
      }
      case Address::Type::device: {
        if (!allow_devices) {
          return fail(errc::bad_request,
                      fmt::format("'{}': device addresses are for notices, not {}", text, kind));
        }
        auto device = store.find_device(address->id);
        if (!device) return unknown(text);
        if (!policy.may_address_user(device->user_id)) return refused(text);
        if (device->user_id == caller.user_id) author_addressed = true;
        out.devices[device->user_id].push_back(device->id);
        break;
      }
    }
  }
  if (!author_addressed) std::erase(grouped, caller.user_id);
  direct.insert(direct.end(), grouped.begin(), grouped.end());
  std::sort(direct.begin(), direct.end());
  direct.erase(std::unique(direct.begin(), direct.end()), direct.end());
  out.users = std::move(direct);
  return out;
}

}  // namespace herald
