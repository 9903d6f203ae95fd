// Sends to more users than the store writes copies for in the send's own transaction: the
// acknowledgement still means what it means for any send. Every recipient sees the mail from
// then on, is told of it live, and keeps it through a shutdown that follows at once.
#include <map>

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include "api/large_group.hpp"
#include "support/herald_process.hpp"
#include "support/http_client.hpp"
#include "support/live_clients.hpp"

namespace herald::test {
namespace {

constexpr int kMembers = 2500;

std::string send_to_group(const HttpClient& http, const std::string& admin,
                          const std::string& group, const std::string& subject) {
  auto sent = http.post(
      "/api/v1/messages",
      R"({"to":["group:)" + group + R"("],"subject":")" + subject + R"(","body":"For all."})",
      admin);
  EXPECT_EQ(sent.status, 201);
  EXPECT_EQ(sent.json().at("recipient_count").as_int64(), kMembers);
  return std::string(sent.json().at("id").as_string());
}

std::map<std::string, std::string> log_in_members(const HttpClient& http) {
  std::map<std::string, std::string> tokens;
  for (const auto& member : kMembersWhoLogIn) tokens[member] = http.login(member, kMemberPassword);
  return tokens;
}

// What a member sees of the two sends, read right after the second was acknowledged.
void expect_both_in_mailbox(const HttpClient& http, const std::string& member,
                            const std::string& token, const std::string& older,
                            const std::string& newer) {
  auto inbox = http.get("/api/v1/folders", token).json().at("items").at(0);
  EXPECT_EQ(inbox.at("total").as_int64(), 2) << member;
  EXPECT_EQ(inbox.at("unread").as_int64(), 2) << member;
  auto page = http.get("/api/v1/folders/inbox/messages", token).json().at("items").as_array();
  ASSERT_EQ(page.size(), 2u) << member;
  EXPECT_EQ(page.at(0).at("id").as_string(), newer);
  EXPECT_EQ(page.at(1).at("id").as_string(), older);
  auto me = http.get("/api/v1/me", token).json().at("unread");
  EXPECT_EQ(me.at("inbox").as_int64(), 2) << member;
  EXPECT_EQ(me.at("notifications").as_int64(), 2) << member;
  auto bell = http.get("/api/v1/notifications", token).json().at("items").as_array();
  EXPECT_EQ(bell.size(), 2u) << member;
  EXPECT_EQ(http.get("/api/v1/messages/" + older, token).status, 200) << member;
}

TEST(LargeSends, EveryRecipientSeesTheMailOnceTheSendIsAcknowledged) {
  TempDir dir;
  HeraldProcess server(dir.path());
  HttpClient http(server.base_url());
  std::string admin = http.login("admin", kAdminPassword);
  std::string group = make_large_group(server.base_url(), admin, kMembers);
  auto tokens = log_in_members(http);
  WsClient live(server.port(), "/api/v1/live", {{"Authorization", "Bearer " + tokens["last"]}});
  ASSERT_TRUE(live.next_of_type("welcome"));

  // The second send is acknowledged while the first one's copies may still be being written.
  std::string older = send_to_group(http, admin, group, "First");
  std::string newer = send_to_group(http, admin, group, "Second");
  for (const auto& [member, token] : tokens) {
    expect_both_in_mailbox(http, member, token, older, newer);
  }

  for (const auto& id : {older, newer}) {
    auto event = live.next_of_type("message.new");
    ASSERT_TRUE(event);
    EXPECT_EQ(event->at("message").at("id").as_string(), id);
  }
  // The counts that follow end at both mails unread (those published while the second send's
  // copies were still owed were left to it).
  std::int64_t inbox = -1;
  while (inbox != 2) {
    auto counts = live.next_of_type("counts");
    ASSERT_TRUE(counts) << "no counts with both mails";
    inbox = counts->at("inbox").as_int64();
  }

  // A recipient answers; the author's copies are where they belong.
  std::string first = http.login("first", kMemberPassword);
  auto reply =
      http.post("/api/v1/messages", R"({"reply_to":")" + older + R"(","body":"Thanks"})", first);
  ASSERT_EQ(reply.status, 201) << reply.body;
  auto author = http.get("/api/v1/folders", admin).json().at("items").as_array();
  EXPECT_EQ(author.at(0).at("total").as_int64(), 1);  // the reply
  EXPECT_EQ(author.at(1).at("total").as_int64(), 2);  // sent
}

TEST(LargeSends, AShutdownRightAfterTheAcknowledgementKeepsEveryCopy) {
  TempDir dir;
  auto server = std::make_unique<HeraldProcess>(dir.path());
  HttpClient http(server->base_url());
  std::string admin = http.login("admin", kAdminPassword);
  std::string group = make_large_group(server->base_url(), admin, kMembers);
  std::string older = send_to_group(http, admin, group, "First");
  std::string newer = send_to_group(http, admin, group, "Second");
  EXPECT_EQ(server->terminate(), 0);

  server = std::make_unique<HeraldProcess>(dir.path());
  HttpClient after(server->base_url());
  for (const auto& [member, token] : log_in_members(after)) {
    expect_both_in_mailbox(after, member, token, older, newer);
  }
}

}  // namespace
}  // namespace herald::test
