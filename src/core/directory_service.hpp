// Users, groups and membership, with the rules of who may see and change what.
// Admins manage the directory; everyone may read groups and search the directory; a user sees
// and edits their own account. What a caller may not see answers not_found.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/result.hpp"
#include "core/model.hpp"
#include "store/store.hpp"

namespace herald {

class AuthService;
class PasswordHasher;

struct CreateUserInput {
  std::string username;
  std::optional<std::string> display_name;  // defaults to the username
  std::optional<std::string> email;
  Role role = Role::user;
  std::optional<std::string> password;  // none: the user cannot log in until one is set
};

struct UpdateUserInput {
  std::optional<std::string> display_name;
  std::optional<std::optional<std::string>> email;  // engaged-but-empty clears it
  std::optional<Role> role;
  std::optional<std::string> password;
  std::optional<std::string> current_password;  // required when users change their own password
};

struct UpdateGroupInput {
  std::optional<std::string> name;
  std::optional<std::string> description;
};

class DirectoryService {
 public:
  DirectoryService(Store& store, PasswordHasher& hasher, AuthService& auth);

  Result<User> create_user(const Principal& caller, const CreateUserInput& input);
  Result<User> get_user(const Principal& caller, Id id);
  Result<Page<User>> list_users(const Principal& caller, const UserQuery& query);
  Result<User> update_user(const Principal& caller, Id id, const UpdateUserInput& input);
  Result<void> delete_user(const Principal& caller, Id id);

  Result<Group> create_group(const Principal& caller, const NewGroup& input);
  Result<Group> get_group(const Principal& caller, Id id);
  Result<Page<Group>> list_groups(const Principal& caller, const GroupQuery& query);
  Result<Page<User>> list_members(const Principal& caller, Id group, const PageRequest& page);
  Result<Group> update_group(const Principal& caller, Id id, const UpdateGroupInput& input);
  Result<void> delete_group(const Principal& caller, Id id);
  Result<void> add_member(const Principal& caller, Id group, Id user);
  Result<void> remove_member(const Principal& caller, Id group, Id user);

  // Users and groups the caller may address, by name prefix.
  Result<std::vector<DirectoryEntry>> search(const Principal& caller, std::string_view prefix,
                                             int limit);

 private:
  Store& store_;
  PasswordHasher& hasher_;
  AuthService& auth_;
};

}  // namespace herald
