// Core services wired to a real SQLite store in a fresh folder, a fast password hasher and a
// clock the test moves.
#pragma once

#include <gtest/gtest.h>

#include "common/crypto.hpp"
#include "core/auth_service.hpp"
#include "core/directory_service.hpp"
#include "core/password_hasher.hpp"
#include "store/store.hpp"
#include "support/herald_process.hpp"
#include "support/manual_clock.hpp"

namespace herald::test {

class CoreTest : public ::testing::Test {
 protected:
  CoreTest()
      : store_((init_crypto(), open_store({"", dir_.path().string(), 2}))),
        hasher_(PasswordHasher::minimum(), 2),
        auth_(*store_, hasher_, clock_, options()),
        directory_(*store_, hasher_, auth_) {
    admin_user_ = store_
                      ->create_user({"root", "Root", std::nullopt, Role::admin,
                                     hasher_.hash("root-password")})
                      .value();
    admin_ = Principal{admin_user_.id, Role::admin, "root", 0};
  }

  static AuthOptions options() {
    AuthOptions options;
    options.per_account = {3, 1.0 / 60};
    options.per_address = {100, 1.0};
    return options;
  }

  User add_user(const std::string& username, Role role = Role::user,
                const std::string& password = "password-123") {
    CreateUserInput input;
    input.username = username;
    input.role = role;
    input.password = password;
    return directory_.create_user(admin_, input).value();
  }

  static Principal as(const User& user) { return Principal{user.id, user.role, user.username, 0}; }

  TempDir dir_;
  ManualClock clock_;
  std::unique_ptr<Store> store_;
  PasswordHasher hasher_;
  AuthService auth_;
  DirectoryService directory_;
  User admin_user_;
  Principal admin_;
};

}  // namespace herald::test
