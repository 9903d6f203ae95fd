// The in-app bell over HTTP: new mail rings each recipient, listing newest first with an unread
// count, marking read, deleting, and the 404-not-403 rule for other users' items.
#include <vector>

#include "support/api_fixture.hpp"

namespace herald::test {
namespace {

namespace json = boost::json;

class BellApi : public ApiTest {
 protected:
  // A user with a password and a chosen display name, logged in.
  static Account make_named_account(const std::string& stem, const std::string& display_name) {
    std::string username = unique(stem);
    json::object body{
        {"username", username}, {"display_name", display_name}, {"password", "password-123"}};
    auto created = http().post("/api/v1/users", json_text(body), admin_token_);
    EXPECT_EQ(created.status, 201) << created.body;
    return {std::string(created.json().at("id").as_string()), username,
            http().login(username, "password-123")};
  }

  static std::string send_ok(const std::string& token, const json::object& body) {
    auto reply = http().post("/api/v1/messages", json_text(body), token);
    EXPECT_EQ(reply.status, 201) << reply.body;
    if (reply.status != 201) return "0";
    return std::string(reply.json().at("id").as_string());
  }

  static json::object bell(const std::string& token, const std::string& query = "") {
    auto reply = http().get("/api/v1/notifications" + query, token);
    EXPECT_EQ(reply.status, 200) << reply.body;
    if (reply.status != 200) return {{"items", json::array()}, {"unread", -1}};
    return reply.json().as_object();
  }

  static std::int64_t unread_bell(const std::string& token) {
    return bell(token).at("unread").as_int64();
  }

  static std::int64_t me_unread_notifications(const std::string& token) {
    return http().get("/api/v1/me", token).json().at("unread").at("notifications").as_int64();
  }

  static std::string item_id(const json::object& page, std::size_t index) {
    return std::string(page.at("items").as_array().at(index).at("id").as_string());
  }
};

TEST_F(BellApi, NewMailRingsEachRecipientButNotTheAuthor) {
  Account ada = make_named_account("ada", "Ada Lovelace");
  Account bob = make_account("bob");
  Account carol = make_account("carol");
  std::string message = send_ok(ada.token, {{"to", list({"user:" + bob.id})},
                                            {"bcc", list({"user:" + carol.id})},
                                            {"subject", "Lunch on Friday"}});

  for (const Account* recipient : {&bob, &carol}) {
    SCOPED_TRACE(recipient->username);
    auto page = bell(recipient->token);
    ASSERT_EQ(page.at("items").as_array().size(), 1u);
    auto item = page.at("items").at(0).as_object();
    EXPECT_EQ(item.at("title").as_string(), "New mail from Ada Lovelace");
    EXPECT_EQ(item.at("text").as_string(), "Lunch on Friday");
    EXPECT_EQ(item.at("kind").as_string(), "mail");
    EXPECT_EQ(item.at("message_id").as_string(), message);
    EXPECT_FALSE(item.at("read").as_bool());
    EXPECT_TRUE(item.at("url").is_null());
    EXPECT_TRUE(item.at("created_at").is_string());
    EXPECT_EQ(page.at("unread").as_int64(), 1);
    EXPECT_EQ(me_unread_notifications(recipient->token), 1);
  }
  auto own = bell(ada.token);
  EXPECT_TRUE(own.at("items").as_array().empty());
  EXPECT_EQ(own.at("unread").as_int64(), 0);
  EXPECT_EQ(me_unread_notifications(ada.token), 0);

  // No subject still says something; drafts ring no one until they are sent.
  send_ok(ada.token, {{"to", list({"user:" + bob.id})}, {"body", "just a body"}});
  EXPECT_EQ(bell(bob.token).at("items").at(0).at("text").as_string(), "(no subject)");
  std::string draft =
      send_ok(ada.token, {{"to", list({"user:" + bob.id})}, {"subject", "Later"}, {"draft", true}});
  EXPECT_EQ(unread_bell(bob.token), 2);
  ASSERT_EQ(http().post("/api/v1/messages/" + draft + "/send", "", ada.token).status, 200);
  auto after_send = bell(bob.token);
  EXPECT_EQ(after_send.at("unread").as_int64(), 3);
  EXPECT_EQ(after_send.at("items").at(0).at("message_id").as_string(), draft);
  EXPECT_EQ(after_send.at("items").at(0).at("text").as_string(), "Later");
}

TEST_F(BellApi, ListsNewestFirstWithCursorPagination) {
  Account bob = make_account("bob");
  std::vector<std::string> messages;
  for (int i = 0; i < 5; ++i) {
    messages.push_back(send_ok(admin_token_, {{"to", list({"user:" + bob.id})},
                                              {"subject", "Note " + std::to_string(i)}}));
  }
  std::vector<std::string> seen;
  std::string cursor;
  int pages = 0;
  do {
    std::string query = "?limit=2";
    if (!cursor.empty()) query += "&cursor=" + cursor;
    auto page = bell(bob.token, query);
    EXPECT_LE(page.at("items").as_array().size(), 2u);
    EXPECT_EQ(page.at("unread").as_int64(), 5);
    for (const auto& item : page.at("items").as_array()) {
      seen.emplace_back(item.at("message_id").as_string());
    }
    cursor =
        page.at("next_cursor").is_null() ? "" : std::string(page.at("next_cursor").as_string());
    ++pages;
  } while (!cursor.empty() && pages < 10);
  EXPECT_EQ(seen, (std::vector<std::string>{messages[4], messages[3], messages[2], messages[1],
                                            messages[0]}));
  EXPECT_EQ(pages, 3);
  EXPECT_EQ(http().get("/api/v1/notifications?cursor=garbage", bob.token).status, 400);
  EXPECT_EQ(http().get("/api/v1/notifications?limit=0", bob.token).status, 400);
  EXPECT_EQ(http().get("/api/v1/notifications", "").status, 401);
}

TEST_F(BellApi, ReadingAndDeletingMoveTheUnreadCount) {
  Account bob = make_account("bob");
  for (int i = 0; i < 3; ++i) {
    send_ok(admin_token_,
            {{"to", list({"user:" + bob.id})}, {"subject", "Ring " + std::to_string(i)}});
  }
  auto page = bell(bob.token);
  ASSERT_EQ(page.at("items").as_array().size(), 3u);
  std::string newest = item_id(page, 0);
  std::string middle = item_id(page, 1);
  std::string oldest = item_id(page, 2);
  EXPECT_EQ(page.at("unread").as_int64(), 3);
  EXPECT_EQ(me_unread_notifications(bob.token), 3);

  EXPECT_EQ(http().post("/api/v1/notifications/" + newest + "/read", "", bob.token).status, 204);
  EXPECT_EQ(unread_bell(bob.token), 2);
  EXPECT_EQ(me_unread_notifications(bob.token), 2);
  EXPECT_TRUE(bell(bob.token).at("items").at(0).at("read").as_bool());
  EXPECT_EQ(http().post("/api/v1/notifications/" + newest + "/read", "", bob.token).status, 204);
  EXPECT_EQ(unread_bell(bob.token), 2);  // twice is once

  // Deleting a read item leaves the count; deleting an unread one lowers it.
  EXPECT_EQ(http().del("/api/v1/notifications/" + newest, bob.token).status, 204);
  EXPECT_EQ(unread_bell(bob.token), 2);
  EXPECT_EQ(http().del("/api/v1/notifications/" + oldest, bob.token).status, 204);
  auto left = bell(bob.token);
  EXPECT_EQ(left.at("unread").as_int64(), 1);
  ASSERT_EQ(left.at("items").as_array().size(), 1u);
  EXPECT_EQ(item_id(left, 0), middle);
  EXPECT_EQ(me_unread_notifications(bob.token), 1);

  EXPECT_EQ(http().del("/api/v1/notifications/" + oldest, bob.token).status, 404);
  EXPECT_EQ(http().post("/api/v1/notifications/" + oldest + "/read", "", bob.token).status, 404);
  EXPECT_EQ(unread_bell(bob.token), 1);
}

TEST_F(BellApi, OtherUsersItemsAreNotFound) {
  Account bob = make_account("bob");
  Account mallory = make_account("mallory");
  send_ok(admin_token_, {{"to", list({"user:" + bob.id})}, {"subject", "For bob"}});
  std::string id = item_id(bell(bob.token), 0);

  auto read = http().post("/api/v1/notifications/" + id + "/read", "", mallory.token);
  EXPECT_EQ(read.status, 404);
  EXPECT_EQ(read.error_code(), "not_found");
  EXPECT_EQ(http().del("/api/v1/notifications/" + id, mallory.token).status, 404);
  EXPECT_EQ(http().del("/api/v1/notifications/" + id, admin_token_).status, 404);
  EXPECT_TRUE(bell(mallory.token).at("items").as_array().empty());

  auto untouched = bell(bob.token);
  ASSERT_EQ(untouched.at("items").as_array().size(), 1u);
  EXPECT_FALSE(untouched.at("items").at(0).at("read").as_bool());
  EXPECT_EQ(untouched.at("unread").as_int64(), 1);

  for (const char* bad : {"0", "-1", "abc", "99999999"}) {
    EXPECT_EQ(
        http().post(std::string("/api/v1/notifications/") + bad + "/read", "", bob.token).status,
        404)
        << bad;
    EXPECT_EQ(http().del(std::string("/api/v1/notifications/") + bad, bob.token).status, 404)
        << bad;
  }
}

}  // namespace
}  // namespace herald::test
