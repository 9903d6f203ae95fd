#include "core/communication_policy.hpp"

#include <algorithm>

namespace herald {

CommunicationPolicy::CommunicationPolicy(Store& store, const Principal& caller)
    : store_(store), caller_(caller.user_id) {
  if (caller.is_admin()) return;
  auto rules = store.list_rules();
  if (rules.empty()) return;
  restricted_ = true;
  auto own = store.groups_of_user(caller.user_id);
  for (const auto& rule : rules) {
    if (std::find(own.begin(), own.end(), rule.from_group) != own.end()) {
      reachable_groups_.push_back(rule.to_group);
    }
  }
}

bool CommunicationPolicy::may_address_group(Id group) const {
  if (!restricted_) return true;
  return std::find(reachable_groups_.begin(), reachable_groups_.end(), group) !=
         reachable_groups_.end();
}

bool CommunicationPolicy::may_address_user(Id user) {
  if (!restricted_ || user == caller_) return true;
  auto groups = store_.groups_of_user(user);
  return std::any_of(groups.begin(), groups.end(), [&](Id g) { return may_address_group(g); });
}

}  // namespace herald
