// The outbox part of the store suite: notices with their bell items and delivery rows, claims
// with leases, outcomes, and release after a restart.
#include <gtest/gtest.h>

#include "store/store.hpp"
#include "store_fixture.hpp"

namespace herald::test {
namespace {

class OutboxStoreSuite : public ::testing::TestWithParam<StoreFactory> {
 protected:
  void SetUp() override {
    store_ = GetParam().open(dir_.path());
    author_ = make_user("author", std::nullopt);
    ann_ = make_user("ann", std::string("ann@example.org"));
    bob_ = make_user("bob", std::nullopt);
  }

  User make_user(const std::string& username, std::optional<std::string> email) {
    return store_->create_user({username, "Name of " + username, email, Role::user, ""}).value();
  }

  // A notice to ann (email queued, push to her phone queued) and bob (no address, no device).
  MessageRecord save_notice(TimeMs at) {
    NewNotice notice;
    notice.message.kind = MessageKind::notice;
    notice.message.author_id = author_.id;
    notice.message.subject = "Fire drill";
    notice.message.body = "At **noon**.";
    notice.message.body_html = "<p>At <strong>noon</strong>.</p>\n";
    notice.message.created_at = at;
    notice.message.sent_at = at;
    notice.push = PushContent{"Notice", "Fire drill at noon", std::string("https://x.test/d")};
    notice.recipients = {ann_.id, bob_.id};
    notice.notification_title = "Fire drill";
    notice.notification_text = "Fire drill at noon";
    notice.notification_url = "https://x.test/d";
    notice.deliveries = {
        {ann_.id, DeliveryChannel::email, std::nullopt, "ann@example.org", DeliveryStatus::queued,
         ""},
        {ann_.id, DeliveryChannel::push, phone_.id, "fcm", DeliveryStatus::queued, ""},
        {bob_.id, DeliveryChannel::email, std::nullopt, "", DeliveryStatus::no_address,
         "no \"email\" address\\\n"},
        {bob_.id, DeliveryChannel::push, std::nullopt, "", DeliveryStatus::no_device,
         "no registered device"}};
    return store_->save_notice(notice).value();
  }

  void add_phone() {
    phone_ = store_->save_device({ann_.id, DevicePlatform::fcm, "Pixel", "tok-1", "", ""})->device;
  }

  TempDir dir_;
  std::unique_ptr<Store> store_;
  User author_, ann_, bob_;
  Device phone_;
};

TEST_P(OutboxStoreSuite, ContactsCarryAddressesAndDevices) {
  add_phone();
  auto contacts = store_->contacts_of({bob_.id, ann_.id, 99999});
  ASSERT_EQ(contacts.size(), 2u);  // the unknown user is skipped, the rest by id
  EXPECT_EQ(contacts[1].user_id, bob_.id);
  EXPECT_EQ(contacts[1].email, "");
  EXPECT_TRUE(contacts[1].devices.empty());
  EXPECT_EQ(contacts[0].email, "ann@example.org");
  ASSERT_EQ(contacts[0].devices.size(), 1u);
  EXPECT_EQ(contacts[0].devices[0].platform, DevicePlatform::fcm);
}

TEST_P(OutboxStoreSuite, ANoticeWritesBellItemsAndDeliveryRowsTogether) {
  add_phone();
  MessageRecord notice = save_notice(1'000);
  EXPECT_EQ(store_->unread_notifications(ann_.id), 1);
  EXPECT_EQ(store_->unread_notifications(bob_.id), 1);
  auto bell = store_->notifications(ann_.id, {0, 10});
  ASSERT_EQ(bell.items.size(), 1u);
  EXPECT_EQ(bell.items[0].kind, MessageKind::notice);
  EXPECT_EQ(bell.items[0].url, "https://x.test/d");
  EXPECT_EQ(store_->entries_of(author_.id, notice.id).at(0).folder, Folder::sent);
  auto push = store_->push_content(notice.id);
  ASSERT_TRUE(push);
  EXPECT_EQ(push->text, "Fire drill at noon");

  auto rows = store_->list_deliveries(notice.id, {0, 3});
  ASSERT_EQ(rows.items.size(), 3u);
  ASSERT_TRUE(rows.next_after);
  EXPECT_EQ(rows.items[0].status, DeliveryStatus::queued);
  EXPECT_EQ(rows.items[0].next_attempt_at, 1'000);
  EXPECT_EQ(rows.items[1].device_id, phone_.id);
  EXPECT_EQ(rows.items[2].status, DeliveryStatus::no_address);
  EXPECT_EQ(rows.items[2].last_error, "no \"email\" address\\\n");  // any text survives
  EXPECT_FALSE(rows.items[2].next_attempt_at);
  EXPECT_EQ(store_->list_deliveries(notice.id, {*rows.next_after, 3}).items.size(), 1u);
}

TEST_P(OutboxStoreSuite, ALargeNoticeKeepsEveryRowInOrder) {
  NewNotice notice;
  notice.message.kind = MessageKind::notice;
  notice.message.author_id = author_.id;
  notice.message.subject = "Many";
  notice.message.created_at = 5'000;
  for (int i = 0; i < 150; ++i) {  // two full batches of rows and a tail
    bool odd = i % 2 == 1;
    notice.deliveries.push_back({odd ? bob_.id : ann_.id, DeliveryChannel::email, std::nullopt,
                                 "a" + std::to_string(i) + "@x.test",
                                 odd ? DeliveryStatus::no_address : DeliveryStatus::queued, ""});
  }
  MessageRecord saved = store_->save_notice(notice).value();
  auto rows = store_->list_deliveries(saved.id, {0, 200}).items;
  ASSERT_EQ(rows.size(), 150u);
  for (int i = 0; i < 150; ++i) {
    bool odd = i % 2 == 1;
    EXPECT_EQ(rows[i].address, "a" + std::to_string(i) + "@x.test");
    EXPECT_EQ(rows[i].user_id, odd ? bob_.id : ann_.id);
    EXPECT_EQ(rows[i].status, odd ? DeliveryStatus::no_address : DeliveryStatus::queued);
    EXPECT_EQ(rows[i].next_attempt_at, odd ? std::nullopt : std::optional<TimeMs>(5'000));
  }
}

TEST_P(OutboxStoreSuite, AClaimLeasesRowsSoNoOtherWorkerTakesThem) {
  add_phone();
  MessageRecord notice = save_notice(1'000);
  EXPECT_TRUE(
      store_->claim_deliveries(DeliveryChannel::email, 999, 60'000, 10).empty());  // not due
  auto jobs = store_->claim_deliveries(DeliveryChannel::email, 2'000, 60'000, 10);
  ASSERT_EQ(jobs.size(), 1u);
  const DeliveryJob& job = jobs[0];
  EXPECT_EQ(job.message_id, notice.id);
  EXPECT_EQ(job.attempts, 1);
  EXPECT_EQ(job.address, "ann@example.org");
  EXPECT_EQ(job.recipient_name, "Name of ann");
  EXPECT_EQ(job.author_name, "Name of author");
  EXPECT_EQ(job.subject, "Fire drill");
  EXPECT_EQ(job.body_html, "<p>At <strong>noon</strong>.</p>\n");
  EXPECT_TRUE(store_->claim_deliveries(DeliveryChannel::email, 2'000, 60'000, 10).empty());
  EXPECT_EQ(store_->next_delivery_due(DeliveryChannel::email), 62'000);
  // The lease ends: another worker takes it, as a second attempt.
  auto again = store_->claim_deliveries(DeliveryChannel::email, 62'000, 60'000, 10);
  ASSERT_EQ(again.size(), 1u);
  EXPECT_EQ(again[0].attempts, 2);

  auto push = store_->claim_deliveries(DeliveryChannel::push, 2'000, 60'000, 10);
  ASSERT_EQ(push.size(), 1u);
  ASSERT_TRUE(push[0].device);
  EXPECT_EQ(push[0].device->address, "tok-1");
  ASSERT_TRUE(push[0].push);
  EXPECT_EQ(push[0].push->url, "https://x.test/d");
}

TEST_P(OutboxStoreSuite, OutcomesAreRecordedAndGoneDevicesRemoved) {
  add_phone();
  MessageRecord notice = save_notice(1'000);
  auto email = store_->claim_deliveries(DeliveryChannel::email, 2'000, 60'000, 10).at(0);
  auto push = store_->claim_deliveries(DeliveryChannel::push, 2'000, 60'000, 10).at(0);
  ASSERT_TRUE(store_
                  ->record_deliveries({{email.id, DeliveryStatus::queued, "451 busy", 9'000, {}},
                                       {push.id, DeliveryStatus::failed, "gone", 0, phone_.id}},
                                      3'000)
                  .ok());
  EXPECT_FALSE(store_->find_device(phone_.id));
  auto rows = store_->list_deliveries(notice.id, {0, 10}).items;
  EXPECT_EQ(rows[0].status, DeliveryStatus::queued);
  EXPECT_EQ(rows[0].last_error, "451 busy");
  EXPECT_EQ(rows[0].next_attempt_at, 9'000);
  EXPECT_EQ(rows[0].attempts, 1);
  EXPECT_EQ(rows[0].updated_at, 3'000);
  EXPECT_EQ(rows[1].status, DeliveryStatus::failed);
  EXPECT_FALSE(rows[1].next_attempt_at);
  EXPECT_EQ(store_->next_delivery_due(DeliveryChannel::email), 9'000);
  EXPECT_FALSE(store_->next_delivery_due(DeliveryChannel::push));

  auto retried = store_->claim_deliveries(DeliveryChannel::email, 9'000, 60'000, 10);
  ASSERT_EQ(retried.size(), 1u);
  ASSERT_TRUE(store_->record_deliveries({{email.id, DeliveryStatus::sent, "", 0, {}}}, 9'500).ok());
  EXPECT_EQ(store_->list_deliveries(notice.id, {0, 1}).items[0].status, DeliveryStatus::sent);
  EXPECT_FALSE(store_->next_delivery_due(DeliveryChannel::email));
}

TEST_P(OutboxStoreSuite, ReleaseMakesLeasedRowsDueAgainButKeepsBackoff) {
  add_phone();
  save_notice(1'000);
  auto email = store_->claim_deliveries(DeliveryChannel::email, 2'000, 600'000, 10).at(0);
  auto push = store_->claim_deliveries(DeliveryChannel::push, 2'000, 600'000, 10).at(0);
  ASSERT_TRUE(
      store_->record_deliveries({{push.id, DeliveryStatus::queued, "500", 50'000, {}}}, 2'500)
          .ok());
  // A restart: the email row, leased by a worker that died, is due at once; the push row keeps
  // its backoff.
  ASSERT_TRUE(store_->release_deliveries(3'000).ok());
  auto resumed = store_->claim_deliveries(DeliveryChannel::email, 3'000, 600'000, 10);
  ASSERT_EQ(resumed.size(), 1u);
  EXPECT_EQ(resumed[0].id, email.id);
  EXPECT_EQ(resumed[0].attempts, 2);
  EXPECT_TRUE(store_->claim_deliveries(DeliveryChannel::push, 3'000, 600'000, 10).empty());
  EXPECT_EQ(store_->next_delivery_due(DeliveryChannel::push), 50'000);
}

TEST_P(OutboxStoreSuite, ADeviceThatChangedHandsIsNotPushedTo) {
  add_phone();
  save_notice(1'000);
  // The phone is registered by bob before the push goes out.
  ASSERT_TRUE(store_->save_device({bob_.id, DevicePlatform::fcm, "Pixel", "tok-1", "", ""}).ok());
  auto push = store_->claim_deliveries(DeliveryChannel::push, 2'000, 60'000, 10);
  ASSERT_EQ(push.size(), 1u);
  EXPECT_FALSE(push[0].device);
}

INSTANTIATE_TEST_SUITE_P(Stores, OutboxStoreSuite, ::testing::ValuesIn(store_factories()),
                         store_name);

}  // namespace
}  // namespace herald::test
