#include "core_fixture.hpp"

namespace herald::test {
namespace {

using DirectoryServiceTest = CoreTest;

TEST_F(DirectoryServiceTest, OnlyAdminsManageUsers) {
  User alice = add_user("alice");
  CreateUserInput input;
  input.username = "mallory";
  EXPECT_EQ(directory_.create_user(as(alice), input).error().code, errc::forbidden);
  EXPECT_EQ(directory_.list_users(as(alice), {}).error().code, errc::forbidden);
  EXPECT_EQ(directory_.delete_user(as(alice), admin_user_.id).error().code, errc::forbidden);
}

TEST_F(DirectoryServiceTest, UsersSeeThemselvesButNotOthers) {
  User alice = add_user("alice");
  User bob = add_user("bob");
  EXPECT_TRUE(directory_.get_user(as(alice), alice.id).ok());
  EXPECT_EQ(directory_.get_user(as(alice), bob.id).error().code, errc::not_found);
  UpdateUserInput rename;
  rename.display_name = "Bobby";
  EXPECT_EQ(directory_.update_user(as(alice), bob.id, rename).error().code, errc::not_found);
}

TEST_F(DirectoryServiceTest, UsersEditTheirOwnProfileButNotTheirRole) {
  User alice = add_user("alice");
  UpdateUserInput rename;
  rename.display_name = "Alice M.";
  rename.email = std::optional<std::string>("alice@example.org");
  auto updated = directory_.update_user(as(alice), alice.id, rename);
  ASSERT_TRUE(updated.ok());
  EXPECT_EQ(updated->display_name, "Alice M.");
  UpdateUserInput promote;
  promote.role = Role::admin;
  EXPECT_EQ(directory_.update_user(as(alice), alice.id, promote).error().code, errc::forbidden);
}

TEST_F(DirectoryServiceTest, ChangingOwnPasswordNeedsTheCurrentOne) {
  User alice = add_user("alice");
  UpdateUserInput change;
  change.password = "brand-new-password";
  EXPECT_EQ(directory_.update_user(as(alice), alice.id, change).error().code, errc::forbidden);
  change.current_password = "password-123";
  ASSERT_TRUE(directory_.update_user(as(alice), alice.id, change).ok());
  EXPECT_TRUE(auth_.login("alice", "brand-new-password", "a").ok());
}

TEST_F(DirectoryServiceTest, ValidatesInput) {
  CreateUserInput input;
  input.username = "Bad Name";
  EXPECT_EQ(directory_.create_user(admin_, input).error().code, errc::bad_request);
  input.username = "good";
  input.email = "not-an-address";
  EXPECT_EQ(directory_.create_user(admin_, input).error().code, errc::bad_request);
  input.email.reset();
  input.password = "short";
  EXPECT_EQ(directory_.create_user(admin_, input).error().code, errc::bad_request);
  EXPECT_EQ(store_->count_users(), 1);  // nothing was written
}

TEST_F(DirectoryServiceTest, AdminsCannotDeleteThemselves) {
  EXPECT_EQ(directory_.delete_user(admin_, admin_user_.id).error().code, errc::conflict);
}

TEST_F(DirectoryServiceTest, EveryoneReadsGroupsOnlyAdminsChangeThem) {
  User alice = add_user("alice");
  EXPECT_EQ(directory_.create_group(as(alice), {"Class", ""}).error().code, errc::forbidden);
  Group group = directory_.create_group(admin_, {"Class", ""}).value();
  EXPECT_TRUE(directory_.get_group(as(alice), group.id).ok());
  EXPECT_EQ(directory_.add_member(as(alice), group.id, alice.id).error().code, errc::forbidden);
  ASSERT_TRUE(directory_.add_member(admin_, group.id, alice.id).ok());
  EXPECT_EQ(directory_.list_members(as(alice), group.id, {0, 50})->items.size(), 1u);
  EXPECT_EQ(directory_.get_group(as(alice), group.id + 1).error().code, errc::not_found);
}

TEST_F(DirectoryServiceTest, SearchIgnoresCaseOfUsernames) {
  add_user("alice");
  auto found = directory_.search(admin_, "ALI", 10);
  ASSERT_TRUE(found.ok());
  ASSERT_EQ(found->size(), 1u);
  EXPECT_EQ(found->front().name, "alice");
}

}  // namespace
}  // namespace herald::test
