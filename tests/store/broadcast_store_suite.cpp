// The broadcast part of the store suite: derived inbox copies, bell items and counts, the
// author's counters, the fan-out's cursor (each slice written once, a stale slice refused), and
// retraction with its clean-up.
#include <gtest/gtest.h>

#include "store/store.hpp"
#include "store_fixture.hpp"

namespace herald::test {
namespace {

class BroadcastStoreSuite : public ::testing::TestWithParam<StoreFactory> {
 protected:
  void SetUp() override {
    store_ = GetParam().open(dir_.path());
    author_ = make_user("author");
    for (int i = 0; i < 5; ++i) readers_.push_back(make_user("reader" + std::to_string(i)));
  }

  User make_user(const std::string& username) {
    return store_
        ->create_user({username, "Name of " + username, username + "@example.org", Role::user, ""})
        .value();
  }

  MessageRecord broadcast(TimeMs at, BroadcastChannels channels = {}) {
    NewBroadcast b;
    b.message.kind = MessageKind::broadcast;
    b.message.author_id = author_.id;
    b.message.subject = "Snow day";
    b.message.body = "Closed.";
    b.message.body_html = "<p>Closed.</p>\n";
    b.message.snippet = "Closed.";
    b.message.created_at = at;
    b.message.sent_at = at;
    b.channels = channels;
    b.push = PushContent{"New broadcast from Author", "Open it to read it.", std::nullopt};
    for (const auto& r : readers_) b.recipients.push_back(r.id);
    b.notification_title = "New broadcast from Author";
    b.notification_text = "Snow day";
    b.link_prefix = "https://herald.test/messages/";
    return store_->save_broadcast(b).value();
  }

  std::int64_t unread_inbox(Id user) { return store_->find_user_with_counts(user)->second.inbox; }

  TempDir dir_;
  std::unique_ptr<Store> store_;
  User author_;
  std::vector<User> readers_;
};

TEST_P(BroadcastStoreSuite, EachRecipientHasAnInboxCopyAndABellItemOfTheirOwn) {
  auto m = broadcast(1'000);
  Id reader = readers_[0].id;
  auto entries = store_->entries_of(reader, m.id);
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].folder, Folder::inbox);
  EXPECT_FALSE(entries[0].read);
  EXPECT_EQ(unread_inbox(reader), 1);
  EXPECT_EQ(store_->unread_notifications(reader), 1);
  auto page = store_->folder_page(reader, FolderQuery{});
  ASSERT_EQ(page.items.size(), 1u);
  EXPECT_EQ(page.items[0].kind, MessageKind::broadcast);
  auto bell = store_->notifications(reader, PageRequest{});
  ASSERT_EQ(bell.items.size(), 1u);
  EXPECT_EQ(bell.items[0].url, "https://herald.test/messages/" + std::to_string(m.id));
  EXPECT_EQ(store_->push_content(m.id)->url, bell.items[0].url);
  EXPECT_TRUE(store_->entries_of(author_.id, m.id).size() == 1u);  // the author's sent copy

  ASSERT_TRUE(store_->apply_to_entries(reader, {m.id}, EntryAction::read).ok());
  ASSERT_TRUE(store_->apply_to_entries(reader, {m.id}, EntryAction::read).ok());
  EXPECT_EQ(unread_inbox(reader), 0);
  EXPECT_EQ(store_->find_broadcast(m.id)->read, 1);
  EXPECT_EQ(store_->apply_to_entries(reader, {m.id}, EntryAction::trash).error().code,
            errc::conflict);
  ASSERT_TRUE(store_->mark_notification_read(reader, bell.items[0].id).ok());
  EXPECT_EQ(store_->unread_notifications(reader), 0);
  EXPECT_EQ(store_->unread_notifications(readers_[1].id), 1);
  ASSERT_TRUE(store_->delete_notification(reader, bell.items[0].id).ok());
  EXPECT_TRUE(store_->notifications(reader, PageRequest{}).items.empty());
  EXPECT_EQ(store_->notifications(readers_[1].id, PageRequest{}).items.size(), 1u);
  EXPECT_EQ(store_->delete_notification(author_.id, bell.items[0].id).error().code,
            errc::not_found);
}

TEST_P(BroadcastStoreSuite, TheFanOutWritesEachSliceOnceAndRefusesAStaleOne) {
  auto m = broadcast(1'000);
  auto first = store_->next_fanout_batch(3);
  ASSERT_TRUE(first);
  EXPECT_EQ(first->message_id, m.id);
  ASSERT_EQ(first->contacts.size(), 3u);
  EXPECT_FALSE(first->last);
  auto rows = [](const FanoutBatch& batch) {
    std::vector<NewDelivery> out;
    for (const auto& c : batch.contacts) {
      out.push_back(
          {c.user_id, DeliveryChannel::email, std::nullopt, c.email, DeliveryStatus::queued, ""});
    }
    return out;
  };
  ASSERT_TRUE(store_->record_fanout_batch(*first, rows(*first)).value());
  // The same slice again (a second writer, or a retry after a lost reply) writes nothing.
  EXPECT_FALSE(store_->record_fanout_batch(*first, rows(*first)).value());
  auto second = store_->next_fanout_batch(3);
  ASSERT_TRUE(second);
  EXPECT_EQ(second->contacts.size(), 2u);
  EXPECT_TRUE(second->last);
  EXPECT_TRUE(store_->find_broadcast(m.id)->deliveries_pending);
  ASSERT_TRUE(store_->record_fanout_batch(*second, rows(*second)).value());
  EXPECT_FALSE(store_->next_fanout_batch(3));
  EXPECT_FALSE(store_->find_broadcast(m.id)->deliveries_pending);
  EXPECT_EQ(store_->list_deliveries(m.id, PageRequest{0, 100}).items.size(), 5u);
}

TEST_P(BroadcastStoreSuite, RetractionTakesItOutAtOnceAndTheCleanUpCancelsQueuedRows) {
  auto m = broadcast(1'000);
  auto batch = store_->next_fanout_batch(10);
  std::vector<NewDelivery> rows;
  for (const auto& c : batch->contacts) {
    rows.push_back(
        {c.user_id, DeliveryChannel::email, std::nullopt, c.email, DeliveryStatus::queued, ""});
  }
  ASSERT_TRUE(store_->record_fanout_batch(*batch, rows).value());
  auto retracted = store_->retract_broadcast(m.id);
  ASSERT_TRUE(retracted.ok());
  EXPECT_EQ(retracted->recipients.size(), 5u);
  // From the commit on: no inbox copy, no bell item, no count, no claimable row.
  EXPECT_TRUE(store_->entries_of(readers_[0].id, m.id).empty());
  EXPECT_TRUE(store_->entries_of(author_.id, m.id).empty());
  EXPECT_EQ(unread_inbox(readers_[0].id), 0);
  EXPECT_EQ(store_->unread_notifications(readers_[0].id), 0);
  EXPECT_TRUE(store_->claim_deliveries(DeliveryChannel::email, 2'000, 60'000, 10).empty());
  EXPECT_TRUE(store_->broadcast_retracted(m.id));
  EXPECT_FALSE(store_->find_broadcast(m.id));
  EXPECT_EQ(store_->retract_broadcast(m.id).error().code, errc::not_found);

  auto cleanup = store_->next_fanout_batch(10);
  ASSERT_TRUE(cleanup);
  EXPECT_TRUE(cleanup->retracted);
  // Slices of 3: the 5 delivery rows in two, then the 5 recipient rows in two.
  int slices = 1;
  while (!store_->clean_retracted(m.id, 3).value()) ASSERT_LT(++slices, 10);
  EXPECT_EQ(slices, 4);
  EXPECT_FALSE(store_->next_fanout_batch(10));
  for (const auto& d : store_->list_deliveries(m.id, PageRequest{0, 100}).items) {
    EXPECT_EQ(d.status, DeliveryStatus::cancelled);
  }
}

TEST_P(BroadcastStoreSuite, TheInboxMergesMailAndBroadcastsPageByPage) {
  // Mail and broadcasts interleaved in time: pages of 2 walk them newest first, each once.
  std::vector<Id> expected;
  for (int i = 0; i < 4; ++i) {
    NewMessage mail;
    mail.message.kind = MessageKind::mail;
    mail.message.author_id = author_.id;
    mail.message.subject = "Mail " + std::to_string(i);
    mail.message.created_at = 1'000 + i * 10;
    mail.message.sent_at = mail.message.created_at;
    mail.recipients = {readers_[0].id};
    expected.push_back(store_->save_message(mail).value().id);
    expected.push_back(broadcast(1'005 + i * 10).id);
  }
  std::reverse(expected.begin(), expected.end());
  std::vector<Id> walked;
  FolderQuery query;
  query.limit = 2;
  for (int pages = 0; pages < 10; ++pages) {
    auto page = store_->folder_page(readers_[0].id, query);
    for (const auto& item : page.items) walked.push_back(item.message_id);
    if (!page.next) break;
    query.after = page.next;
  }
  EXPECT_EQ(walked, expected);
  auto summaries = store_->folder_summaries(readers_[0].id);
  EXPECT_EQ(summaries[0].total, 8);
  EXPECT_EQ(summaries[0].unread, 8);
}

INSTANTIATE_TEST_SUITE_P(Stores, BroadcastStoreSuite, ::testing::ValuesIn(store_factories()),
                         store_name);

}  // namespace
}  // namespace herald::test
