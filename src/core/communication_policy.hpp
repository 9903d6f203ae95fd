// Who may address whom. With no rule defined everyone may write to everyone; once rules exist,
// a non-admin may address a group B, or a member of B, only through a rule "A may write to B"
// with the caller in A. Admins bypass rules. Replying to the author of a message one received
// is always allowed.
#pragma once

#include <optional>
#include <vector>

#include "core/address.hpp"
#include "core/model.hpp"
#include "store/store.hpp"

namespace herald {

class CommunicationPolicy {
 public:
  // Reads the rules and the caller's groups once; use for one request.
  CommunicationPolicy(Store& store, const Principal& caller);

  bool restricted() const noexcept { return restricted_; }
  bool may_address_group(Id group) const;
  bool may_address_user(Id user);

 private:
  Store& store_;
  bool restricted_ = false;
  Id caller_ = 0;
  std::vector<Id> reachable_groups_;  // groups the caller's groups may write to
};

}  // namespace herald
