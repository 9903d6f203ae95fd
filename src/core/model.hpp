// The directory's plain data types, shared by core, store and api (no I/O types here).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/crypto.hpp"
#include "common/time.hpp"

namespace herald {

using Id = std::int64_t;

enum class Role { admin, sender, user };

const char* role_name(Role role) noexcept;
std::optional<Role> parse_role(std::string_view text) noexcept;

struct User {
  Id id = 0;
  std::string username;
  std::string display_name;
  std::optional<std::string> email;
  Role role = Role::user;
  TimeMs created_at = 0;
};

// A user together with the Argon2id hash of their password (empty: cannot log in).
struct UserCredentials {
  User user;
  std::string password_hash;
};

struct NewUser {
  std::string username;
  std::string display_name;
  std::optional<std::string> email;
  Role role = Role::user;
  std::string password_hash;
};

struct UserPatch {
  std::optional<std::string> display_name;
  std::optional<std::optional<std::string>> email;  // engaged-but-empty clears the address
  std::optional<Role> role;
  std::optional<std::string> password_hash;
};

struct Group {
  Id id = 0;
  std::string name;
  std::string description;
  std::int64_t member_count = 0;
  TimeMs created_at = 0;
};

struct NewGroup {
  std::string name;
  std::string description;
};

struct GroupPatch {
  std::optional<std::string> name;
  std::optional<std::string> description;
};

// Keyset pagination: items with an id greater than `after`, ordered by id.
struct PageRequest {
  Id after = 0;
  int limit = 50;
};

template <class T>
struct Page {
  std::vector<T> items;
  std::optional<Id> next_after;  // set when more items may follow
};

struct TokenRecord {
  Sha256 hash{};
  Id user_id = 0;
  TimeMs created_at = 0;
  TimeMs expires_at = 0;
};

struct DirectoryEntry {
  enum class Kind { user, group };
  Kind kind = Kind::user;
  Id id = 0;
  std::string name;          // username, or group name
  std::string display_name;  // display name, or group description
  std::int64_t member_count = 0;
};

struct UnreadCounts {
  std::int64_t inbox = 0;
  std::int64_t notifications = 0;
};

// The authenticated caller of a request.
struct Principal {
  Id user_id = 0;
  Role role = Role::user;
  std::string username;
  TimeMs token_expires_at = 0;

  bool is_admin() const noexcept { return role == Role::admin; }
};

}  // namespace herald
