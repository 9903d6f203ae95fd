// One suite for every Store implementation: the SQLite store now, PostgreSQL later.
#include <atomic>
#include <thread>

#include <gtest/gtest.h>

#include "store/sqlite/sqlite_store.hpp"
#include "store_fixture.hpp"

namespace herald::test {
namespace {

class StoreSuite : public ::testing::TestWithParam<StoreFactory> {
 protected:
  void SetUp() override { store_ = GetParam().open(dir_.path()); }

  User make_user(const std::string& username, Role role = Role::user) {
    auto user = store_->create_user({username, "Name of " + username, std::nullopt, role, ""});
    EXPECT_TRUE(user.ok());
    return user.ok() ? user.value() : User{};
  }

  Group make_group(const std::string& name) {
    auto group = store_->create_group({name, ""});
    EXPECT_TRUE(group.ok());
    return group.ok() ? group.value() : Group{};
  }

  TempDir dir_;
  std::unique_ptr<Store> store_;
};

TEST_P(StoreSuite, CreatesAndFindsUsers) {
  auto created = store_->create_user(
      {"alice", "Alice Martin", std::string("alice@example.org"), Role::sender, "hash"});
  ASSERT_TRUE(created.ok());
  EXPECT_GT(created->id, 0);
  auto found = store_->find_user(created->id);
  ASSERT_TRUE(found);
  EXPECT_EQ(found->username, "alice");
  EXPECT_EQ(found->display_name, "Alice Martin");
  EXPECT_EQ(found->email, "alice@example.org");
  EXPECT_EQ(found->role, Role::sender);
  auto credentials = store_->find_credentials("alice");
  ASSERT_TRUE(credentials);
  EXPECT_EQ(credentials->password_hash, "hash");
  EXPECT_FALSE(store_->find_user(created->id + 1000));
  EXPECT_EQ(store_->count_users(), 1);
}

TEST_P(StoreSuite, UsernamesAreUnique) {
  make_user("bob");
  auto again = store_->create_user({"bob", "Another Bob", std::nullopt, Role::user, ""});
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, errc::conflict);
  EXPECT_EQ(store_->count_users(), 1);
}

TEST_P(StoreSuite, ListsUsersInPagesAndByPrefix) {
  for (int i = 0; i < 7; ++i) make_user("user" + std::to_string(i));
  store_->create_user({"zed", "Ann Zed", std::nullopt, Role::user, ""}).value();
  Page<User> first = store_->list_users({"", {0, 5}});
  ASSERT_EQ(first.items.size(), 5u);
  ASSERT_TRUE(first.next_after);
  Page<User> second = store_->list_users({"", {*first.next_after, 5}});
  EXPECT_EQ(second.items.size(), 3u);
  EXPECT_FALSE(second.next_after);

  EXPECT_EQ(store_->list_users({"user", {0, 50}}).items.size(), 7u);
  auto by_word = store_->list_users({"zed", {0, 50}});  // username, and a word of the name
  ASSERT_EQ(by_word.items.size(), 1u);
  EXPECT_EQ(store_->list_users({"ann", {0, 50}}).items.size(), 1u);  // display name, any case
  EXPECT_EQ(store_->list_users({"%", {0, 50}}).items.size(), 0u);    // LIKE wildcards are literal
}

TEST_P(StoreSuite, UpdatesUsersAndKeepsOneAdmin) {
  User admin = make_user("root", Role::admin);
  auto demoted =
      store_->update_user(admin.id, {std::nullopt, std::nullopt, Role::user, std::nullopt});
  ASSERT_FALSE(demoted.ok());
  EXPECT_EQ(demoted.error().code, errc::conflict);

  User other = make_user("second", Role::admin);
  ASSERT_TRUE(store_->find_user(admin.id));  // read once, so that a cached record must go
  auto renamed = store_->update_user(
      admin.id, {std::string("Root"), std::optional<std::string>("r@example.org"), Role::user,
                 std::string("new-hash")});
  ASSERT_TRUE(renamed.ok());
  EXPECT_EQ(renamed->display_name, "Root");
  EXPECT_EQ(renamed->role, Role::user);
  EXPECT_EQ(store_->find_user(admin.id)->display_name, "Root");
  EXPECT_EQ(store_->find_credentials("root")->password_hash, "new-hash");
  auto cleared = store_->update_user(
      admin.id, {std::nullopt, std::optional<std::string>(), std::nullopt, std::nullopt});
  ASSERT_TRUE(cleared.ok());
  EXPECT_FALSE(store_->find_user(admin.id)->email);
  EXPECT_EQ(store_->delete_user(other.id).error().code, errc::conflict);  // the last admin
  EXPECT_EQ(store_->update_user(9999, {}).error().code, errc::not_found);
}

TEST_P(StoreSuite, DeletingAUserRevokesTokensAndMemberships) {
  User keeper = make_user("keeper", Role::admin);
  (void)keeper;
  User leaver = make_user("leaver");
  Group group = make_group("class");
  ASSERT_TRUE(store_->add_member(group.id, leaver.id).ok());
  Sha256 token = sha256("leaver-token");
  ASSERT_TRUE(store_->insert_token({token, leaver.id, 1, 4'000'000'000'000}).ok());

  ASSERT_TRUE(store_->find_user(leaver.id));
  ASSERT_TRUE(store_->delete_user(leaver.id).ok());
  EXPECT_FALSE(store_->find_user(leaver.id));
  EXPECT_FALSE(store_->find_credentials("leaver"));
  EXPECT_FALSE(store_->find_token(token));
  EXPECT_EQ(store_->find_group(group.id)->member_count, 0);
  EXPECT_TRUE(store_->list_members(group.id, {0, 50}).items.empty());
  EXPECT_EQ(store_->delete_user(leaver.id).error().code, errc::not_found);
  EXPECT_TRUE(store_->create_user({"leaver", "New", std::nullopt, Role::user, ""}).ok());
}

TEST_P(StoreSuite, GroupsAndIdempotentMembership) {
  User a = make_user("a");
  User b = make_user("b");
  Group group = make_group("Staff");
  EXPECT_EQ(store_->create_group({"staff", ""}).error().code, errc::conflict);  // any case

  ASSERT_TRUE(store_->add_member(group.id, a.id).ok());
  ASSERT_TRUE(store_->add_member(group.id, a.id).ok());
  ASSERT_TRUE(store_->add_member(group.id, b.id).ok());
  EXPECT_EQ(store_->find_group(group.id)->member_count, 2);
  EXPECT_EQ(store_->list_members(group.id, {0, 50}).items.size(), 2u);
  ASSERT_TRUE(store_->remove_member(group.id, a.id).ok());
  ASSERT_TRUE(store_->remove_member(group.id, a.id).ok());
  EXPECT_EQ(store_->find_group(group.id)->member_count, 1);

  EXPECT_EQ(store_->add_member(group.id, 9999).error().code, errc::not_found);
  EXPECT_EQ(store_->add_member(9999, a.id).error().code, errc::not_found);

  auto renamed = store_->update_group(group.id, {std::string("Teachers"), std::string("All")});
  ASSERT_TRUE(renamed.ok());
  EXPECT_EQ(store_->find_group(group.id)->name, "Teachers");
  EXPECT_EQ(store_->list_groups({"tea", {0, 50}}).items.size(), 1u);
  ASSERT_TRUE(store_->delete_group(group.id).ok());
  EXPECT_FALSE(store_->find_group(group.id));
  EXPECT_EQ(store_->delete_group(group.id).error().code, errc::not_found);
}

TEST_P(StoreSuite, TokensExpireAndAreDeleted) {
  User user = make_user("holder");
  Sha256 live = sha256("live"), old = sha256("old");
  ASSERT_TRUE(store_->insert_token({live, user.id, 1, 5000}).ok());
  ASSERT_TRUE(store_->insert_token({old, user.id, 1, 1000}).ok());
  auto found = store_->find_token(live);
  ASSERT_TRUE(found);
  EXPECT_EQ(found->user_id, user.id);
  EXPECT_EQ(found->expires_at, 5000);
  ASSERT_TRUE(store_->delete_expired_tokens(2000).ok());
  EXPECT_FALSE(store_->find_token(old));
  ASSERT_TRUE(store_->delete_token(live).ok());
  EXPECT_FALSE(store_->find_token(live));
}

TEST_P(StoreSuite, SearchesTheDirectory) {
  make_user("alice");
  make_user("albert");
  make_user("bob");
  make_group("Algebra club");
  make_group("Biology");
  auto entries = store_->search_directory("al", 10);
  ASSERT_EQ(entries.size(), 3u);
  EXPECT_EQ(entries[0].kind, DirectoryEntry::Kind::user);
  EXPECT_EQ(entries[2].kind, DirectoryEntry::Kind::group);
  EXPECT_EQ(entries[2].name, "Algebra club");
  EXPECT_EQ(store_->search_directory("", 2).size(), 2u);
}

TEST_P(StoreSuite, ReadsUserAndCountersTogether) {
  User user = make_user("counted");
  auto both = store_->find_user_with_counts(user.id);
  ASSERT_TRUE(both);
  EXPECT_EQ(both->first.username, "counted");
  EXPECT_EQ(both->second.inbox, 0);
  EXPECT_EQ(both->second.notifications, 0);
}

TEST_P(StoreSuite, UnreadCountsFollowEveryWrite) {
  User author = make_user("author");
  User reader = make_user("reader");
  ASSERT_EQ(store_->find_user_with_counts(reader.id)->second.inbox, 0);  // read once: cached
  NewMessage mail;
  mail.message.author_id = author.id;
  mail.message.subject = "counted";
  mail.message.created_at = 1;
  mail.message.sent_at = 1;
  mail.recipients = {reader.id};
  mail.notification_title = "New mail";
  auto saved = store_->save_message(mail);
  ASSERT_TRUE(saved.ok());
  auto counts = store_->find_user_with_counts(reader.id)->second;
  EXPECT_EQ(counts.inbox, 1);
  EXPECT_EQ(counts.notifications, 1);
  ASSERT_TRUE(store_->apply_to_entries(reader.id, {saved->id}, EntryAction::read).ok());
  EXPECT_EQ(store_->find_user_with_counts(reader.id)->second.inbox, 0);
  auto bell = store_->notifications(reader.id, {0, 10});
  ASSERT_EQ(bell.items.size(), 1u);
  ASSERT_TRUE(store_->mark_notification_read(reader.id, bell.items[0].id).ok());
  EXPECT_EQ(store_->find_user_with_counts(reader.id)->second.notifications, 0);
  ASSERT_TRUE(store_->update_user(reader.id, {std::string("Renamed")}).ok());
  EXPECT_EQ(store_->find_user_with_counts(reader.id)->first.display_name, "Renamed");
}

TEST_P(StoreSuite, ConcurrentWritesAllLandAndCountersStayExact) {
  Group group = make_group("crowd");
  constexpr int kThreads = 8;
  constexpr int kPerThread = 25;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        auto user = store_->create_user(
            {"u" + std::to_string(t) + "x" + std::to_string(i), "N", std::nullopt, Role::user, ""});
        if (!user.ok() || !store_->add_member(group.id, user->id).ok()) ++failures;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(store_->count_users(), kThreads * kPerThread);
  EXPECT_EQ(store_->find_group(group.id)->member_count, kThreads * kPerThread);
}

TEST_P(StoreSuite, DataSurvivesReopening) {
  User user = make_user("durable");
  store_.reset();
  store_ = GetParam().open(dir_.path());
  EXPECT_TRUE(store_->find_user(user.id));
}

TEST_P(StoreSuite, DevicesAreOnePerAddressAndFollowTheirLastUser) {
  User ann = make_user("ann");
  User bob = make_user("bob");
  NewDevice phone{ann.id, DevicePlatform::fcm, "Pixel", "fcm-token-1", "", ""};
  auto first = store_->save_device(phone);
  ASSERT_TRUE(first.ok());
  EXPECT_TRUE(first->created);
  EXPECT_GT(first->device.created_at, 0);
  NewDevice laptop{ann.id, DevicePlatform::webpush, "Laptop", "https://push.example/a", "k", "s"};
  ASSERT_TRUE(store_->save_device(laptop).ok());
  EXPECT_EQ(store_->list_devices(ann.id, {0, 50}).items.size(), 2u);

  // The same token registered again: the same device, renamed; then it changes hands.
  phone.name = "Pixel 8";
  auto again = store_->save_device(phone);
  ASSERT_TRUE(again.ok());
  EXPECT_FALSE(again->created);
  EXPECT_EQ(again->device.id, first->device.id);
  EXPECT_EQ(store_->find_device(first->device.id)->name, "Pixel 8");
  phone.user_id = bob.id;
  ASSERT_TRUE(store_->save_device(phone).ok());
  EXPECT_EQ(store_->find_device(first->device.id)->user_id, bob.id);
  auto anns = store_->list_devices(ann.id, {0, 1});
  ASSERT_EQ(anns.items.size(), 1u);
  EXPECT_EQ(anns.items[0].address, "https://push.example/a");
  EXPECT_EQ(anns.items[0].p256dh, "k");
  EXPECT_FALSE(anns.next_after);

  // The same token on another platform is another device.
  NewDevice apns{ann.id, DevicePlatform::apns, "", "fcm-token-1", "", ""};
  EXPECT_TRUE(store_->save_device(apns)->created);

  ASSERT_TRUE(store_->delete_device(first->device.id).ok());
  EXPECT_FALSE(store_->find_device(first->device.id));
  EXPECT_EQ(store_->delete_device(first->device.id).error().code, errc::not_found);
  EXPECT_EQ(store_->save_device({9999, DevicePlatform::fcm, "", "t", "", ""}).error().code,
            errc::not_found);
}

TEST_P(StoreSuite, DevicesOfEveryoneAreSearchedByNameOrOwner) {
  User ann = make_user("ann");
  User bob = make_user("bob");
  ASSERT_TRUE(store_->save_device({ann.id, DevicePlatform::fcm, "Pixel", "t-1", "", ""}).ok());
  ASSERT_TRUE(store_->save_device({bob.id, DevicePlatform::fcm, "Phone_1", "t-2", "", ""}).ok());
  ASSERT_TRUE(store_->save_device({bob.id, DevicePlatform::fcm, "Tablet", "t-3", "", ""}).ok());

  auto all = store_->search_devices("", {0, 2});
  ASSERT_EQ(all.items.size(), 2u);
  EXPECT_EQ(all.items[0].username, "ann");
  ASSERT_TRUE(all.next_after);
  auto rest = store_->search_devices("", {*all.next_after, 2});
  ASSERT_EQ(rest.items.size(), 1u);
  EXPECT_EQ(rest.items[0].device.name, "Tablet");

  EXPECT_EQ(store_->search_devices("BO", {0, 50}).items.size(), 2u);   // owner, case ignored
  ASSERT_EQ(store_->search_devices("pix", {0, 50}).items.size(), 1u);  // device name
  EXPECT_EQ(store_->search_devices("Phone_", {0, 50}).items.size(), 1u);
  EXPECT_EQ(store_->search_devices("Phone%", {0, 50}).items.size(), 0u);  // % is not a wildcard
  EXPECT_EQ(store_->search_devices("Phonex", {0, 50}).items.size(), 0u);
}

INSTANTIATE_TEST_SUITE_P(Stores, StoreSuite, ::testing::ValuesIn(store_factories()), store_name);

}  // namespace
}  // namespace herald::test
