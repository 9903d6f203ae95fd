#include "core/directory_service.hpp"

#include "core/auth_service.hpp"
#include "core/communication_policy.hpp"
#include "core/password_hasher.hpp"
#include "core/validation.hpp"

namespace herald {
namespace {

Error admins_only() {
  return fail(errc::forbidden, "only admins may do this");
}
Error no_such_user() {
  return fail(errc::not_found, "no such user");
}

}  // namespace

DirectoryService::DirectoryService(Store& store, PasswordHasher& hasher, AuthService& auth)
    : store_(store), hasher_(hasher), auth_(auth) {}

Result<User> DirectoryService::create_user(const Principal& caller, const CreateUserInput& input) {
  if (!caller.is_admin()) return admins_only();
  if (auto error = check_username(input.username)) return *error;
  NewUser user;
  user.username = input.username;
  user.display_name = input.display_name.value_or(input.username);
  if (auto error = check_display_name(user.display_name)) return *error;
  if (input.email) {
    if (auto error = check_email(*input.email)) return *error;
    user.email = input.email;
  }
  user.role = input.role;
  if (input.password) {
    if (auto error = check_password(*input.password)) return *error;
    user.password_hash = hasher_.hash(*input.password);
  }
  return store_.create_user(user);
}

Result<User> DirectoryService::get_user(const Principal& caller, Id id) {
  if (!caller.is_admin() && caller.user_id != id) return no_such_user();
  auto user = store_.find_user(id);
  if (!user) return no_such_user();
  return *user;
}

Result<Page<User>> DirectoryService::list_users(const Principal& caller, const UserQuery& query) {
  if (!caller.is_admin()) return admins_only();
  UserQuery normalised = query;
  normalised.prefix = ascii_lower(query.prefix);
  return store_.list_users(normalised);
}

Result<User> DirectoryService::update_user(const Principal& caller, Id id,
                                           const UpdateUserInput& input) {
  bool self = caller.user_id == id;
  if (!caller.is_admin() && !self) return no_such_user();
  if (!caller.is_admin() && input.role)
    return fail(errc::forbidden, "only admins may change roles");

  UserPatch patch;
  if (input.display_name) {
    if (auto error = check_display_name(*input.display_name)) return *error;
    patch.display_name = input.display_name;
  }
  if (input.email) {
    if (*input.email) {
      if (auto error = check_email(**input.email)) return *error;
    }
    patch.email = input.email;
  }
  patch.role = input.role;
  if (input.password) {
    if (auto error = check_password(*input.password)) return *error;
    if (!caller.is_admin()) {
      auto credentials = store_.find_credentials(caller.username);
      if (!credentials || !input.current_password ||
          !hasher_.verify(credentials->password_hash, *input.current_password)) {
        return fail(errc::forbidden, "current_password is missing or wrong");
      }
    }
    patch.password_hash = hasher_.hash(*input.password);
  }
  auto updated = store_.update_user(id, patch);
  if (updated && (input.role || input.password)) auth_.forget_user(id);
  return updated;
}

Result<void> DirectoryService::delete_user(const Principal& caller, Id id) {
  if (!caller.is_admin()) return admins_only();
  if (caller.user_id == id) return fail(errc::conflict, "admins cannot delete their own account");
  auto deleted = store_.delete_user(id);
  if (deleted) auth_.forget_user(id);
  return deleted;
}

Result<Group> DirectoryService::create_group(const Principal& caller, const NewGroup& input) {
  if (!caller.is_admin()) return admins_only();
  if (auto error = check_group_name(input.name)) return *error;
  if (auto error = check_description(input.description)) return *error;
  return store_.create_group(input);
}

Result<Group> DirectoryService::get_group(const Principal&, Id id) {
  auto group = store_.find_group(id);
  if (!group) return fail(errc::not_found, "no such group");
  return *group;
}

Result<Page<Group>> DirectoryService::list_groups(const Principal&, const GroupQuery& query) {
  return store_.list_groups(query);
}

Result<Page<User>> DirectoryService::list_members(const Principal& caller, Id group,
                                                  const PageRequest& page) {
  if (auto found = get_group(caller, group); !found) return found.error();
  return store_.list_members(group, page);
}

Result<Group> DirectoryService::update_group(const Principal& caller, Id id,
                                             const UpdateGroupInput& input) {
  if (!caller.is_admin()) return admins_only();
  if (input.name) {
    if (auto error = check_group_name(*input.name)) return *error;
  }
  if (input.description) {
    if (auto error = check_description(*input.description)) return *error;
  }
  return store_.update_group(id, GroupPatch{input.name, input.description});
}

Result<void> DirectoryService::delete_group(const Principal& caller, Id id) {
  if (!caller.is_admin()) return admins_only();
  return store_.delete_group(id);
}

Result<void> DirectoryService::add_member(const Principal& caller, Id group, Id user) {
  if (!caller.is_admin()) return admins_only();
  return store_.add_member(group, user);
}

Result<void> DirectoryService::remove_member(const Principal& caller, Id group, Id user) {
  if (!caller.is_admin()) return admins_only();
  return store_.remove_member(group, user);
}

Result<std::vector<DirectoryEntry>> DirectoryService::search(const Principal& caller,
                                                             std::string_view prefix, int limit) {
  auto entries = store_.search_directory(ascii_lower(prefix), limit);
  CommunicationPolicy policy(store_, caller);
  if (!policy.restricted()) return entries;
  // Once rules exist, list only what the caller may address.
  std::erase_if(entries, [&](const DirectoryEntry& entry) {
    return entry.kind == DirectoryEntry::Kind::group ? !policy.may_address_group(entry.id)
                                                     : !policy.may_address_user(entry.id);
  });
  return entries;
}

}  // namespace herald
