// The outbox workers against the real SQLite store, with scripted senders standing in for SMTP
// and push services (the senders themselves are tested against real peers elsewhere).
#include <chrono>
#include <deque>
#include <mutex>
#include <thread>

#include <gtest/gtest.h>

#include "delivery/backoff.hpp"
#include "delivery/outbox.hpp"
#include "store/store.hpp"
#include "support/herald_process.hpp"

namespace herald::test {
namespace {

using delivery::Outcome;
using delivery::Verdict;

// Answers each send with the next scripted outcome (then `sent`), and remembers what it got.
struct Script {
  std::mutex mutex;
  std::deque<Outcome> outcomes;
  std::vector<delivery::OutgoingEmail> emails;
  std::vector<delivery::PushMessage> pushes;

  Outcome next() {
    if (outcomes.empty()) return {Verdict::sent, "", std::nullopt};
    Outcome out = outcomes.front();
    outcomes.pop_front();
    return out;
  }
};

class ScriptedEmail final : public delivery::EmailSender {
 public:
  explicit ScriptedEmail(Script& script) : script_(script) {}
  Outcome send(const delivery::OutgoingEmail& email) override {
    std::lock_guard lock(script_.mutex);
    script_.emails.push_back(email);
    return script_.next();
  }

 private:
  Script& script_;
};

class ScriptedPush final : public delivery::PushSender {
 public:
  explicit ScriptedPush(Script& script) : script_(script) {}
  Outcome send(const Device&, const delivery::PushMessage& message) override {
    std::lock_guard lock(script_.mutex);
    script_.pushes.push_back(message);
    return script_.next();
  }

 private:
  Script& script_;
};

class OutboxTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = open_store({"", dir_.path().string(), 2});
    author_ = store_->create_user({"author", "Ann Author", std::nullopt, Role::sender, ""}).value();
    reader_ =
        store_->create_user({"reader", "Rémi Reader", std::string("r@x.test"), Role::user, ""})
            .value();
    phone_ = store_->save_device({reader_.id, DevicePlatform::fcm, "Pixel", "tok", "", ""})->device;
    options_.backoff.base_ms = 20;
    options_.backoff.max_attempts = 3;
    options_.poll_ms = 50;
    options_.from = {"herald@x.test", ""};
    options_.message_id_host = "x.test";
  }

  Id queue_notice() {
    NewNotice notice;
    notice.message.kind = MessageKind::notice;
    notice.message.author_id = author_.id;
    notice.message.subject = "Drill";
    notice.message.body = "At noon";
    notice.message.body_html = "<p>At noon</p>\n";
    notice.message.created_at = system_now_ms();
    notice.message.sent_at = notice.message.created_at;
    notice.push = PushContent{"Notice from Ann Author", "Drill at noon", std::nullopt};
    notice.recipients = {reader_.id};
    notice.deliveries = {
        {reader_.id, DeliveryChannel::email, std::nullopt, "r@x.test", DeliveryStatus::queued, ""},
        {reader_.id, DeliveryChannel::push, phone_.id, "fcm", DeliveryStatus::queued, ""}};
    return store_->save_notice(notice)->id;
  }

  std::unique_ptr<delivery::Outbox> make_outbox() {
    delivery::SenderFactories factories{[this] { return std::make_unique<ScriptedEmail>(script_); },
                                        [this] { return std::make_unique<ScriptedPush>(script_); }};
    return std::make_unique<delivery::Outbox>(*store_, clock_, options_, factories);
  }

  // Waits until no row of the message (of the channel, if given) is queued any more.
  std::vector<DeliveryRecord> settled(Id message,
                                      std::optional<DeliveryChannel> channel = std::nullopt) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (std::chrono::steady_clock::now() < deadline) {
      auto rows = store_->list_deliveries(message, {0, 50}).items;
      bool done = std::none_of(rows.begin(), rows.end(), [&](const DeliveryRecord& row) {
        return row.status == DeliveryStatus::queued && (!channel || row.channel == *channel);
      });
      if (done) return rows;
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    ADD_FAILURE() << "deliveries still queued after 10 s";
    return store_->list_deliveries(message, {0, 50}).items;
  }

  TempDir dir_;
  std::unique_ptr<Store> store_;
  SystemClock clock_;
  delivery::OutboxOptions options_;
  Script script_;
  User author_, reader_;
  Device phone_;
};

TEST_F(OutboxTest, SendsEmailAndPushWithTheirIdempotencyKeys) {
  auto outbox = make_outbox();
  outbox->start();
  Id message = queue_notice();
  outbox->notify(DeliveryChannel::email);
  outbox->notify(DeliveryChannel::push);
  auto rows = settled(message);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].status, DeliveryStatus::sent);
  EXPECT_EQ(rows[1].status, DeliveryStatus::sent);
  outbox->stop();
  ASSERT_EQ(script_.emails.size(), 1u);
  const auto& email = script_.emails[0];
  EXPECT_EQ(email.from.address, "herald@x.test");
  EXPECT_EQ(email.from.name, "Ann Author");
  EXPECT_EQ(email.to.address, "r@x.test");
  EXPECT_EQ(email.to.name, "Rémi Reader");
  EXPECT_EQ(email.subject, "Drill");
  EXPECT_EQ(email.text, "At noon");
  EXPECT_NE(email.html.find("<p>At noon</p>"), std::string::npos);
  EXPECT_EQ(email.message_id, email_message_id(rows[0].id, message, "x.test"));
  ASSERT_EQ(script_.pushes.size(), 1u);
  EXPECT_EQ(script_.pushes[0].id, push_id(rows[1].id));
  EXPECT_EQ(script_.pushes[0].text, "Drill at noon");
}

TEST_F(OutboxTest, RetriesWithBackoffThenSucceeds) {
  options_.push_workers = 0;  // the script is the email's alone
  script_.outcomes = {{Verdict::retry, "451 try later", std::nullopt}};
  auto outbox = make_outbox();
  outbox->start();
  Id message = queue_notice();
  outbox->notify(DeliveryChannel::email);
  auto rows = settled(message, DeliveryChannel::email);
  outbox->stop();
  auto email = rows[0];
  EXPECT_EQ(email.status, DeliveryStatus::sent);
  EXPECT_EQ(email.attempts, 2);
  std::lock_guard lock(script_.mutex);
  ASSERT_EQ(script_.emails.size(), 2u);
  EXPECT_EQ(script_.emails[0].message_id, script_.emails[1].message_id);  // the same key
}

TEST_F(OutboxTest, GivesUpAfterTheLastAttemptAndKeepsTheError) {
  for (int i = 0; i < 6; ++i) script_.outcomes.push_back({Verdict::retry, "421 down", {}});
  auto outbox = make_outbox();
  outbox->start();
  Id message = queue_notice();
  auto rows = settled(message);
  outbox->stop();
  // Both channels fail three times: the script is shared, in whichever order they came.
  for (const auto& row : rows) {
    EXPECT_EQ(row.status, DeliveryStatus::failed);
    EXPECT_EQ(row.attempts, 3);
    EXPECT_EQ(row.last_error, "gave up after 3 attempts: 421 down");
  }
}

TEST_F(OutboxTest, APermanentFailureIsNotRetried) {
  options_.push_workers = 0;
  script_.outcomes = {{Verdict::failed, "550 no such user", std::nullopt}};
  auto outbox = make_outbox();
  outbox->start();
  Id message = queue_notice();
  outbox->notify(DeliveryChannel::email);
  auto email = settled(message, DeliveryChannel::email)[0];
  outbox->stop();
  EXPECT_EQ(email.status, DeliveryStatus::failed);
  EXPECT_EQ(email.attempts, 1);
  EXPECT_EQ(email.last_error, "550 no such user");
}

TEST_F(OutboxTest, AGoneDeviceIsRemoved) {
  options_.email_workers = 0;
  script_.outcomes = {{Verdict::gone, "410 Unregistered", std::nullopt}};
  auto outbox = make_outbox();
  outbox->start();
  Id message = queue_notice();
  outbox->notify(DeliveryChannel::push);
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (store_->find_device(phone_.id) && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  outbox->stop();
  EXPECT_FALSE(store_->find_device(phone_.id));
  auto push = store_->list_deliveries(message, {0, 50}).items[1];
  EXPECT_EQ(push.status, DeliveryStatus::failed);
  EXPECT_NE(push.last_error.find("410 Unregistered"), std::string::npos);
}

TEST_F(OutboxTest, RetryAfterIsHonoured) {
  options_.push_workers = 0;
  script_.outcomes = {{Verdict::retry, "429", std::chrono::seconds(30)}};
  auto outbox = make_outbox();
  outbox->start();
  TimeMs before = system_now_ms();
  Id message = queue_notice();
  outbox->notify(DeliveryChannel::email);
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  DeliveryRecord email;
  do {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
    email = store_->list_deliveries(message, {0, 1}).items[0];
  } while (email.last_error.empty() && std::chrono::steady_clock::now() < deadline);
  outbox->stop();
  EXPECT_EQ(email.status, DeliveryStatus::queued);
  ASSERT_TRUE(email.next_attempt_at);
  EXPECT_GE(*email.next_attempt_at, before + 30'000);
}

TEST_F(OutboxTest, RowsLeasedByADeadRunAreResumedAtStart) {
  Id message = queue_notice();
  // A worker of a previous run took both rows and died before recording anything.
  EXPECT_EQ(store_->claim_deliveries(DeliveryChannel::email, system_now_ms(), 3'600'000, 10).size(),
            1u);
  EXPECT_EQ(store_->claim_deliveries(DeliveryChannel::push, system_now_ms(), 3'600'000, 10).size(),
            1u);
  auto outbox = make_outbox();
  outbox->start();
  auto rows = settled(message);
  outbox->stop();
  for (const auto& row : rows) {
    EXPECT_EQ(row.status, DeliveryStatus::sent);
    EXPECT_EQ(row.attempts, 2);
  }
}

TEST(Backoff, DoublesWithJitterUpToTheCapAndStops) {
  delivery::BackoffPolicy policy{5, 1'000, 6'000};
  std::mt19937_64 random(42);
  for (int i = 0; i < 200; ++i) {
    auto first = policy.next_delay_ms(1, std::nullopt, random);
    ASSERT_TRUE(first);
    EXPECT_GE(*first, 500);
    EXPECT_LE(*first, 1'000);
    auto third = policy.next_delay_ms(3, std::nullopt, random);
    EXPECT_GE(*third, 2'000);
    EXPECT_LE(*third, 4'000);
    auto capped = policy.next_delay_ms(4, std::nullopt, random);
    EXPECT_GE(*capped, 3'000);
    EXPECT_LE(*capped, 6'000);
  }
  EXPECT_EQ(policy.next_delay_ms(1, 60'000, random), 60'000);  // Retry-After wins when longer
  EXPECT_FALSE(policy.next_delay_ms(5, std::nullopt, random));
}

}  // namespace
}  // namespace herald::test
