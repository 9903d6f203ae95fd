// First-start set-up: the first admin, and the optional demo organisation.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace herald {

class Store;
class PasswordHasher;

struct FirstAdmin {
  bool created = false;
  std::optional<std::string> generated_password;  // set when no password was given
};

// Creates the user "admin" when the store holds no user at all. Throws on a store failure.
FirstAdmin ensure_first_admin(Store& store, PasswordHasher& hasher,
                              const std::optional<std::string>& password);

struct DemoAccount {
  std::string username;
  std::string password;
  std::string role;
};

// Adds a small organisation (a sender, four users, two groups) unless it is there already.
// Returns the accounts it created, with their passwords.
std::vector<DemoAccount> seed_demo(Store& store, PasswordHasher& hasher);

}  // namespace herald
