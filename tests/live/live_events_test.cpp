// The events other features publish to live sessions: new mail, the bell, unread counts.
#include "live/live_fixture.hpp"

namespace herald::test {
namespace {

class LiveEvents : public LiveTest {};

TEST_F(LiveEvents, NewMailReachesEachRecipientsSessions) {
  auto author = make_account("writer");
  auto reader = make_account("reader");
  auto bystander = make_account("bystander");
  WsClient ws(port(), "/api/v1/live", bearer(reader.token));
  SseClient sse(port(), "/api/v1/events", bearer(reader.token));
  WsClient other(port(), "/api/v1/live", bearer(bystander.token));
  ASSERT_TRUE(ws.next_of_type("welcome"));
  ASSERT_TRUE(sse.next_of_type("welcome"));
  ASSERT_TRUE(other.next_of_type("welcome"));

  auto sent = http().post(
      "/api/v1/messages",
      json_text({{"to", list({user(reader.id)})}, {"subject", "Lunch?"}, {"body", "At noon"}}),
      author.token);
  ASSERT_EQ(sent.status, 201) << sent.body;
  std::string id(sent.json().at("id").as_string());

  for (auto event : {ws.next_of_type("message.new"), sse.next_of_type("message.new")}) {
    ASSERT_TRUE(event);
    const auto& message = event->at("message");
    EXPECT_EQ(message.at("id").as_string(), id);
    EXPECT_EQ(message.at("kind").as_string(), "mail");
    EXPECT_EQ(message.at("subject").as_string(), "Lunch?");
    EXPECT_EQ(message.at("from").at("id").as_string(), author.id);
    EXPECT_EQ(message.at("from").at("username").as_string(), author.username);
    EXPECT_FALSE(message.at("has_attachments").as_bool());
  }
  auto bell = ws.next_of_type("notification.new");
  ASSERT_TRUE(bell);
  EXPECT_EQ(bell->at("notification").at("message_id").as_string(), id);
  EXPECT_EQ(bell->at("notification").at("text").as_string(), "Lunch?");
  auto counts = ws.next_of_type("counts");
  ASSERT_TRUE(counts);
  EXPECT_EQ(counts->at("inbox").as_int64(), 1);
  EXPECT_EQ(counts->at("notifications").as_int64(), 1);
  EXPECT_FALSE(other.next_of_type("message.new", 300ms));
}

TEST_F(LiveEvents, ANoticeReachesTheBellOfEachRecipientOnline) {
  auto reader = make_account("reader");
  auto bystander = make_account("bystander");
  WsClient ws(port(), "/api/v1/live", bearer(reader.token));
  WsClient other(port(), "/api/v1/live", bearer(bystander.token));
  ASSERT_TRUE(ws.next_of_type("welcome"));
  ASSERT_TRUE(other.next_of_type("welcome"));
  auto sent = http().post(
      "/api/v1/notices",
      json_text(
          {{"to", list({user(reader.id)})},
           {"push", {{"text", "Fire drill at noon"}, {"url", "https://school.example/drill"}}}}),
      admin_token_);
  ASSERT_EQ(sent.status, 201) << sent.body;
  auto bell = ws.next_of_type("notification.new");
  ASSERT_TRUE(bell);
  const auto& item = bell->at("notification");
  EXPECT_EQ(item.at("kind").as_string(), "notice");
  EXPECT_EQ(item.at("message_id"), sent.json().at("id"));
  EXPECT_EQ(item.at("text").as_string(), "Fire drill at noon");
  EXPECT_EQ(item.at("url").as_string(), "https://school.example/drill");
  auto counts = ws.next_of_type("counts");
  ASSERT_TRUE(counts);
  EXPECT_EQ(counts->at("notifications").as_int64(), 1);
  EXPECT_FALSE(other.next_of_type("notification.new", 300ms));
}

TEST_F(LiveEvents, ReadingUpdatesTheCountsOnEveryDeviceOfTheUser) {
  auto author = make_account("writer");
  auto reader = make_account("reader");
  auto sent = http().post(
      "/api/v1/messages",
      json_text({{"to", list({user(reader.id)})}, {"subject", "Notes"}, {"body", "..."}}),
      author.token);
  ASSERT_EQ(sent.status, 201) << sent.body;
  std::string id(sent.json().at("id").as_string());
  WsClient phone(port(), "/api/v1/live", bearer(reader.token));
  ASSERT_TRUE(phone.next_of_type("welcome"));
  ASSERT_EQ(http().post("/api/v1/messages/" + id + "/read", "", reader.token).status, 204);
  auto counts = phone.next_of_type("counts");
  ASSERT_TRUE(counts);
  EXPECT_EQ(counts->at("inbox").as_int64(), 0);
  ASSERT_EQ(http().post("/api/v1/messages/" + id + "/unread", "", reader.token).status, 204);
  counts = phone.next_of_type("counts");
  ASSERT_TRUE(counts);
  EXPECT_EQ(counts->at("inbox").as_int64(), 1);
}

TEST_F(LiveEvents, GroupMailReachesOnlineMembersOnce) {
  auto author = make_account("writer");
  auto member = make_account("member");
  std::string group_id = make_group("class");
  ASSERT_EQ(http().put("/api/v1/groups/" + group_id + "/members/" + member.id, admin_token_).status,
            204);
  WsClient ws(port(), "/api/v1/live", bearer(member.token));
  ASSERT_TRUE(ws.next_of_type("welcome"));
  auto sent = http().post("/api/v1/messages",
                          json_text({{"to", list({group(group_id)})},
                                     {"cc", list({user(member.id)})},
                                     {"subject", "Homework"},
                                     {"body", "p. 12"}}),
                          author.token);
  ASSERT_EQ(sent.status, 201) << sent.body;
  ASSERT_TRUE(ws.next_of_type("message.new"));
  EXPECT_FALSE(ws.next_of_type("message.new", 300ms));
}

}  // namespace
}  // namespace herald::test
