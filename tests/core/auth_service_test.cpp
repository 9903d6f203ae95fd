#include "core_fixture.hpp"

namespace herald::test {
namespace {

using AuthServiceTest = CoreTest;

TEST_F(AuthServiceTest, LogsInAndAuthenticatesTheToken) {
  User alice = add_user("alice");
  auto login = auth_.login("alice", "password-123", "10.0.0.1");
  ASSERT_TRUE(login.ok());
  EXPECT_EQ(login->user.id, alice.id);
  EXPECT_EQ(login->expires_at, clock_.now_ms() + AuthOptions{}.token_lifetime_ms);
  auto principal = auth_.authenticate(login->token);
  ASSERT_TRUE(principal.ok());
  EXPECT_EQ(principal->user_id, alice.id);
  EXPECT_EQ(principal->role, Role::user);
}

TEST_F(AuthServiceTest, StoresOnlyTheHashOfTheToken) {
  add_user("alice");
  auto login = auth_.login("alice", "password-123", "a");
  ASSERT_TRUE(login.ok());
  EXPECT_TRUE(store_->find_token(sha256(login->token)));
  // The token itself is no key of the store.
  Sha256 as_is{};
  std::copy_n(login->token.begin(), as_is.size(), as_is.begin());
  EXPECT_FALSE(store_->find_token(as_is));
}

TEST_F(AuthServiceTest, RefusesWrongPasswordsAndUnknownUsersAlike) {
  add_user("alice");
  auto wrong = auth_.login("alice", "not-the-password", "a");
  auto unknown = auth_.login("nobody", "password-123", "a");
  ASSERT_FALSE(wrong.ok());
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(wrong.error().code, errc::unauthorized);
  EXPECT_EQ(wrong.error().message, unknown.error().message);
}

TEST_F(AuthServiceTest, ThrottlesRepeatedFailuresPerAccount) {
  add_user("alice");
  for (int i = 0; i < 3; ++i) EXPECT_FALSE(auth_.login("alice", "wrong-password", "a").ok());
  auto throttled = auth_.login("alice", "password-123", "b");  // even with the right password
  ASSERT_FALSE(throttled.ok());
  EXPECT_EQ(throttled.error().code, errc::rate_limited);
  EXPECT_GT(throttled.error().retry_after_seconds, 0);
  clock_.advance_ms(60'000);
  EXPECT_TRUE(auth_.login("alice", "password-123", "b").ok());
}

TEST_F(AuthServiceTest, LogoutRevokesTheToken) {
  add_user("alice");
  auto login = auth_.login("alice", "password-123", "a");
  ASSERT_TRUE(auth_.authenticate(login->token).ok());
  ASSERT_TRUE(auth_.logout(login->token).ok());
  EXPECT_EQ(auth_.authenticate(login->token).error().code, errc::unauthorized);
}

TEST_F(AuthServiceTest, ExpiredTokensAreRefused) {
  add_user("alice");
  auto login = auth_.login("alice", "password-123", "a");
  clock_.advance_ms(AuthOptions{}.token_lifetime_ms + 1);
  EXPECT_EQ(auth_.authenticate(login->token).error().code, errc::unauthorized);
}

TEST_F(AuthServiceTest, RoleChangesAndDeletionTakeEffectAtOnce) {
  User sam = add_user("sam", Role::sender);
  auto login = auth_.login("sam", "password-123", "a");
  ASSERT_EQ(auth_.authenticate(login->token)->role, Role::sender);
  UpdateUserInput promote;
  promote.role = Role::admin;
  ASSERT_TRUE(directory_.update_user(admin_, sam.id, promote).ok());
  EXPECT_EQ(auth_.authenticate(login->token)->role, Role::admin);
  ASSERT_TRUE(directory_.delete_user(admin_, sam.id).ok());
  EXPECT_FALSE(auth_.authenticate(login->token).ok());
}

TEST_F(AuthServiceTest, UsersWithoutPasswordCannotLogIn) {
  CreateUserInput input;
  input.username = "nopass";
  ASSERT_TRUE(directory_.create_user(admin_, input).ok());
  EXPECT_EQ(auth_.login("nopass", "", "a").error().code, errc::unauthorized);
}

}  // namespace
}  // namespace herald::test
