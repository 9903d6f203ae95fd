// POST /notices and GET /deliveries over real HTTP, on a server with no SMTP relay and no push
// platform set up: who may send, what is refused, the bell items, the per-recipient outcomes and
// the delivery rows. Sending through real peers is tested in the delivery tests.
#include "support/api_fixture.hpp"

namespace herald::test {
namespace {

class NoticesApi : public ApiTest {
 protected:
  static HttpResult notify(const boost::json::object& body, const std::string& token) {
    return http().post("/api/v1/notices", json_text(body), token);
  }
  static std::string make_user_with_email(const std::string& stem) {
    std::string name = unique(stem);
    boost::json::object body{{"username", name}, {"email", name + "@example.org"}};
    auto created = http().post("/api/v1/users", json_text(body), admin_token_);
    EXPECT_EQ(created.status, 201) << created.body;
    return std::string(created.json().at("id").as_string());
  }
  static std::string add_fcm_device(const Account& owner) {
    auto added = http().post(
        "/api/v1/devices",
        json_text({{"platform", "fcm"}, {"name", "phone"}, {"token", "fcm:" + unique("t")}}),
        owner.token);
    EXPECT_EQ(added.status, 201) << added.body;
    return std::string(added.json().at("id").as_string());
  }
  static boost::json::object recipient(const HttpResult& reply, const std::string& id) {
    auto body = reply.json();
    for (const auto& item : body.at("recipients").as_array()) {
      if (item.at("user_id").as_string() == id) return item.as_object();
    }
    ADD_FAILURE() << "no outcome for user " << id << " in " << reply.body;
    return {};
  }
};

TEST_F(NoticesApi, OnlyAdminsAndSendersSendNotices) {
  auto plain = make_account("plain");
  auto sender = make_account("sender", "sender");
  std::string target = make_user("target");
  boost::json::object body{{"to", list({user(target)})}, {"push", {{"text", "Hello"}}}};
  auto refused = notify(body, plain.token);
  EXPECT_EQ(refused.status, 403) << refused.body;
  EXPECT_EQ(http().get("/api/v1/notifications", admin_token_).status, 200);
  EXPECT_EQ(notify(body, sender.token).status, 201);
  EXPECT_EQ(notify(body, admin_token_).status, 201);
  // `all` is for admins.
  EXPECT_EQ(notify({{"to", list({"all"})}, {"push", {{"text", "Hi"}}}}, sender.token).status, 403);
}

TEST_F(NoticesApi, RefusesBadInputAndWritesNothing) {
  auto target = make_account("target");
  auto to = list({user(target.id)});
  auto status_of = [&](const boost::json::object& body) {
    auto reply = notify(body, admin_token_);
    if (reply.status >= 400) {
      EXPECT_TRUE(reply.json().at("error").as_object().contains("code")) << reply.body;
    }
    return reply.status;
  };
  EXPECT_EQ(status_of({{"to", to}}), 400);  // neither push nor email
  EXPECT_EQ(status_of({{"to", list({})}, {"push", {{"text", "x"}}}}), 400);
  EXPECT_EQ(status_of({{"to", list({"user:999999"})}, {"push", {{"text", "x"}}}}), 400);
  EXPECT_EQ(status_of({{"to", list({"device:999999"})}, {"push", {{"text", "x"}}}}), 400);
  EXPECT_EQ(status_of({{"to", list({"someone"})}, {"push", {{"text", "x"}}}}), 400);
  EXPECT_EQ(status_of({{"to", to}, {"push", {{"text", ""}}}}), 400);
  EXPECT_EQ(status_of({{"to", to}, {"push", {{"text", std::string(1001, 'a')}}}}), 400);
  EXPECT_EQ(status_of({{"to", to}, {"push", {{"text", "x"}, {"url", "javascript:alert(1)"}}}}),
            400);
  EXPECT_EQ(status_of({{"to", to}, {"email", {{"subject", std::string(999, 's')}}}}), 400);
  EXPECT_EQ(status_of({{"to", to}, {"email", {{"subject", "a\r\nBcc: x@y"}}}}), 400);
  EXPECT_EQ(status_of({{"to", to}, {"email", {{"body", "no subject"}}}}), 400);
  EXPECT_EQ(status_of({{"to", to},
                       {"email", {{"subject", "s"}, {"body", std::string(1024 * 1024 + 1, 'b')}}}}),
            413);
  EXPECT_EQ(status_of({{"to", to}, {"push", {{"text", "x"}}}, {"sms", "no"}}), 400);
  EXPECT_EQ(status_of({{"to", to}, {"push", "text"}}), 400);
  // Nothing of these reached the target's bell.
  EXPECT_EQ(http().get("/api/v1/notifications", target.token).json().at("unread").as_int64(), 0);
}

TEST_F(NoticesApi, EachRecipientGetsABellItemAndAnOutcomePerChannel) {
  auto ann = make_account("ann");  // no email, one phone
  std::string phone = add_fcm_device(ann);
  std::string bob = make_user_with_email("bob");  // an address, no device
  std::string group_id = make_group("class");
  ASSERT_EQ(http().put("/api/v1/groups/" + group_id + "/members/" + ann.id, admin_token_).status,
            204);
  ASSERT_EQ(http().put("/api/v1/groups/" + group_id + "/members/" + bob, admin_token_).status, 204);

  auto sent = notify(
      {{"to", list({group(group_id), user(bob)})},
       {"push", {{"text", "School closes at noon"}, {"url", "https://school.example/news/1"}}},
       {"email", {{"subject", "Early closing"}, {"body", "We close at **noon**."}}}},
      admin_token_);
  ASSERT_EQ(sent.status, 201) << sent.body;
  EXPECT_EQ(sent.json().at("kind").as_string(), "notice");
  EXPECT_EQ(sent.json().at("recipient_count").as_int64(), 2);
  auto ann_outcome = recipient(sent, ann.id);
  EXPECT_EQ(ann_outcome.at("username").as_string(), ann.username);
  // No push platform is set up on this server, so her phone cannot be reached, and says why.
  EXPECT_EQ(ann_outcome.at("push").at("status").as_string(), "failed");
  EXPECT_EQ(ann_outcome.at("push").at("reason").as_string(),
            "FCM is not configured on this server");
  EXPECT_EQ(ann_outcome.at("email").at("status").as_string(), "no_address");
  auto bob_outcome = recipient(sent, bob);
  EXPECT_EQ(bob_outcome.at("push").at("status").as_string(), "no_device");
  EXPECT_EQ(bob_outcome.at("email").at("status").as_string(), "failed");
  EXPECT_EQ(bob_outcome.at("email").at("reason").as_string(),
            "email is not configured on this server");
  EXPECT_EQ(sent.json().at("summary").at("push").at("no_device").as_int64(), 1);
  EXPECT_EQ(sent.json().at("summary").at("email").at("no_address").as_int64(), 1);

  auto bell = http().get("/api/v1/notifications", ann.token);
  ASSERT_EQ(bell.status, 200);
  EXPECT_EQ(bell.json().at("unread").as_int64(), 1);
  auto bell_json = bell.json();
  const auto& item = bell_json.at("items").at(0);
  EXPECT_EQ(item.at("kind").as_string(), "notice");
  EXPECT_EQ(item.at("title").as_string(), "Early closing");
  EXPECT_EQ(item.at("text").as_string(), "School closes at noon");
  EXPECT_EQ(item.at("url").as_string(), "https://school.example/news/1");
  EXPECT_EQ(item.at("message_id"), sent.json().at("id"));
  std::string item_id(item.at("id").as_string());
  EXPECT_EQ(http().post("/api/v1/notifications/" + item_id + "/read", "", ann.token).status, 204);
  EXPECT_EQ(http().get("/api/v1/notifications", ann.token).json().at("unread").as_int64(), 0);
  EXPECT_EQ(http().del("/api/v1/notifications/" + item_id, ann.token).status, 204);
  EXPECT_TRUE(http().get("/api/v1/notifications", ann.token).json().at("items").as_array().empty());
  (void)phone;
}

TEST_F(NoticesApi, ADeviceAddressPushesToThatDeviceOnly) {
  auto cy = make_account("cy");
  std::string first = add_fcm_device(cy);
  add_fcm_device(cy);
  auto sent = notify({{"to", list({"device:" + first})}, {"push", {{"text", "Wipe scheduled"}}}},
                     admin_token_);
  ASSERT_EQ(sent.status, 201) << sent.body;
  ASSERT_EQ(sent.json().at("recipients").as_array().size(), 1u);
  std::string id(sent.json().at("id").as_string());
  auto rows = http().get("/api/v1/deliveries?message=" + id, admin_token_);
  ASSERT_EQ(rows.status, 200) << rows.body;
  auto rows_json = rows.json();
  const auto& items = rows_json.at("items").as_array();
  ASSERT_EQ(items.size(), 1u);  // one push row: the addressed device, not the other
  EXPECT_EQ(items[0].at("device_id").as_string(), first);
  EXPECT_EQ(items[0].at("platform").as_string(), "fcm");
  EXPECT_EQ(items[0].at("recipient").at("id").as_string(), cy.id);
}

TEST_F(NoticesApi, DeliveriesAreShownToTheAuthorAndAdminsOnly) {
  auto sender = make_account("sender", "sender");
  auto other = make_account("other");
  std::string target = make_user_with_email("target");
  auto sent = notify(
      {{"to", list({user(target)})}, {"email", {{"subject", "Report due"}, {"body", "Friday."}}}},
      sender.token);
  ASSERT_EQ(sent.status, 201) << sent.body;
  std::string path = "/api/v1/deliveries?message=" + std::string(sent.json().at("id").as_string());
  auto own = http().get(path, sender.token);
  ASSERT_EQ(own.status, 200);
  auto own_json = own.json();
  const auto& row = own_json.at("items").at(0);
  EXPECT_EQ(row.at("channel").as_string(), "email");
  EXPECT_EQ(row.at("status").as_string(), "failed");
  EXPECT_EQ(row.at("attempts").as_int64(), 0);
  EXPECT_EQ(row.at("last_error").as_string(), "email is not configured on this server");
  EXPECT_TRUE(row.at("idempotency_key").as_string().starts_with("<herald."));
  EXPECT_FALSE(row.as_object().contains("address"));  // others' addresses: admins only
  auto admin = http().get(path, admin_token_);
  EXPECT_EQ(admin.json().at("items").at(0).at("address").as_string().subview(0, 6), "target");
  EXPECT_EQ(http().get(path, other.token).status, 404);
  EXPECT_EQ(http().get("/api/v1/deliveries?message=999999", admin_token_).status, 404);
  EXPECT_EQ(http().get("/api/v1/deliveries", admin_token_).status, 400);
}

TEST_F(NoticesApi, TheAuthorKeepsACopyAndIsNotNotifiedThroughAGroup) {
  auto sender = make_account("sender", "sender");
  std::string member = make_user("member");
  std::string group_id = make_group("staff");
  for (const auto& id : {sender.id, member}) {
    ASSERT_EQ(http().put("/api/v1/groups/" + group_id + "/members/" + id, admin_token_).status,
              204);
  }
  auto sent =
      notify({{"to", list({group(group_id)})}, {"push", {{"text", "Meeting at 3"}}}}, sender.token);
  ASSERT_EQ(sent.status, 201) << sent.body;
  EXPECT_EQ(sent.json().at("recipient_count").as_int64(), 1);
  EXPECT_EQ(http().get("/api/v1/notifications", sender.token).json().at("unread").as_int64(), 0);
  auto copy =
      http().get("/api/v1/messages/" + std::string(sent.json().at("id").as_string()), sender.token);
  ASSERT_EQ(copy.status, 200) << copy.body;
  auto sent_folder = http().get("/api/v1/folders/sent/messages?kind=notice", sender.token);
  ASSERT_EQ(sent_folder.status, 200);
  EXPECT_EQ(sent_folder.json().at("items").as_array().size(), 1u);
}

}  // namespace
}  // namespace herald::test
