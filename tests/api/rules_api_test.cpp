// Communication rules over HTTP: who may address whom once "group A may write to group B" rules
// exist, the exceptions (oneself, admins, replies), the directory, and managing the rules.
#include <algorithm>
#include <vector>

#include "support/api_fixture.hpp"

namespace herald::test {
namespace {

namespace json = boost::json;

// Rules apply to the whole server, so every test starts and ends with none.
class RulesApi : public ApiTest {
 protected:
  void SetUp() override { remove_all_rules(); }
  void TearDown() override { remove_all_rules(); }

  static void remove_all_rules() {
    auto rules = http().get("/api/v1/rules", admin_token_);
    ASSERT_EQ(rules.status, 200) << rules.body;
    auto listing = rules.json();
    for (const auto& rule : listing.at("items").as_array()) {
      std::string id(rule.at("id").as_string());
      EXPECT_EQ(http().del("/api/v1/rules/" + id, admin_token_).status, 204);
    }
  }

  static std::string add_rule(const std::string& from_group, const std::string& to_group) {
    json::object body{{"from_group", from_group}, {"to_group", to_group}};
    auto reply = http().post("/api/v1/rules", json_text(body), admin_token_);
    EXPECT_EQ(reply.status, 201) << reply.body;
    if (reply.status != 201) return "0";
    return std::string(reply.json().at("id").as_string());
  }

  static void add_member(const std::string& group_id, const std::string& user_id) {
    EXPECT_EQ(http().put("/api/v1/groups/" + group_id + "/members/" + user_id, admin_token_).status,
              204);
  }

  static HttpResult send(const std::string& token, std::initializer_list<std::string> to,
                         const std::string& subject = "Hello") {
    json::object body{{"to", list(to)}, {"subject", subject}};
    return http().post("/api/v1/messages", json_text(body), token);
  }

  static std::int64_t inbox_total(const std::string& token) {
    auto reply = http().get("/api/v1/folders", token);
    EXPECT_EQ(reply.status, 200) << reply.body;
    auto listing = reply.json();
    for (const auto& item : listing.at("items").as_array()) {
      if (item.at("name").as_string() == "inbox") return item.at("total").as_int64();
    }
    return -1;
  }

  static std::vector<std::string> directory(const std::string& token, const std::string& q) {
    auto reply = http().get("/api/v1/directory?q=" + q, token);
    EXPECT_EQ(reply.status, 200) << reply.body;
    std::vector<std::string> addresses;
    auto listing = reply.json();
    for (const auto& item : listing.at("items").as_array()) {
      addresses.emplace_back(item.at("address").as_string());
    }
    std::sort(addresses.begin(), addresses.end());
    return addresses;
  }

  static std::string admin_id() {
    return std::string(
        http().get("/api/v1/me", admin_token_).json().at("user").at("id").as_string());
  }
};

TEST_F(RulesApi, OnlyAdminsManageRules) {
  Account alice = make_account("alice");
  std::string a = make_group("a");
  std::string b = make_group("b");
  EXPECT_EQ(http().get("/api/v1/rules", alice.token).status, 403);
  json::object body{{"from_group", a}, {"to_group", b}};
  auto refused = http().post("/api/v1/rules", json_text(body), alice.token);
  EXPECT_EQ(refused.status, 403);
  EXPECT_EQ(refused.error_code(), "forbidden");
  EXPECT_EQ(http().get("/api/v1/rules", "").status, 401);

  auto created = http().post("/api/v1/rules", json_text(body), admin_token_);
  ASSERT_EQ(created.status, 201) << created.body;
  auto rule = created.json().as_object();
  std::string id(rule.at("id").as_string());
  EXPECT_EQ(rule.at("from_group").as_string(), a);
  EXPECT_EQ(rule.at("to_group").as_string(), b);
  EXPECT_TRUE(rule.at("created_at").is_string());
  EXPECT_EQ(http().del("/api/v1/rules/" + id, alice.token).status, 403);

  auto listed = http().get("/api/v1/rules", admin_token_);
  ASSERT_EQ(listed.status, 200);
  ASSERT_EQ(listed.json().at("items").as_array().size(), 1u);
  EXPECT_EQ(listed.json().at("items").at(0).at("id").as_string(), id);
}

TEST_F(RulesApi, WithoutRulesEveryoneMayWriteToEveryone) {
  Account alice = make_account("alice");
  Account bob = make_account("bob");
  std::string someone = make_user("someone");
  std::string any = make_group("any");
  add_member(any, someone);
  EXPECT_EQ(send(alice.token, {user(bob.id)}).status, 201);
  EXPECT_EQ(send(alice.token, {user(someone), group(any)}).status, 201);
  EXPECT_EQ(send(bob.token, {user(alice.id)}).status, 201);
  EXPECT_EQ(inbox_total(bob.token), 1);
  EXPECT_EQ(inbox_total(alice.token), 1);
}

TEST_F(RulesApi, ARuleLetsMembersOfAWriteToBAndNoFurther) {
  Account alice = make_account("alice");   // in A
  Account bob = make_account("bob");       // in B
  Account outsider = make_account("out");  // in no group
  std::string carol = make_user("carol");  // in C, which no rule reaches
  std::string a = make_group("a");
  std::string b = make_group("b");
  std::string c = make_group("c");
  add_member(a, alice.id);
  add_member(b, bob.id);
  add_member(c, carol);
  add_rule(a, b);

  EXPECT_EQ(send(alice.token, {group(b)}, "To the group").status, 201);
  EXPECT_EQ(send(alice.token, {user(bob.id)}, "To a member").status, 201);
  EXPECT_EQ(inbox_total(bob.token), 2);

  auto refused = send(alice.token, {user(outsider.id)}, "Out of bounds");
  EXPECT_EQ(refused.status, 403) << refused.body;
  EXPECT_EQ(refused.error_code(), "forbidden");
  EXPECT_EQ(inbox_total(outsider.token), 0);
  EXPECT_EQ(send(alice.token, {user(carol)}).status, 403);
  EXPECT_EQ(send(alice.token, {group(c)}).status, 403);
  EXPECT_EQ(send(alice.token, {group(a)}).status, 403);  // A may write to B, not to itself
  // One forbidden address refuses the whole message: bob gets nothing either.
  EXPECT_EQ(send(alice.token, {user(bob.id), user(outsider.id)}, "Mixed").status, 403);
  EXPECT_EQ(inbox_total(bob.token), 2);
  EXPECT_EQ(inbox_total(outsider.token), 0);

  // The rule runs one way.
  EXPECT_EQ(send(bob.token, {user(alice.id)}).status, 403);
  EXPECT_EQ(inbox_total(alice.token), 0);

  // Writing to oneself is always fine.
  EXPECT_EQ(send(alice.token, {user(alice.id)}, "Note to self").status, 201);
  EXPECT_EQ(inbox_total(alice.token), 1);
}

TEST_F(RulesApi, UsersOutsideEveryRuleMayWriteOnlyToThemselves) {
  Account loner = make_account("loner");
  std::string a = make_group("a");
  std::string b = make_group("b");
  std::string member = make_user("member");
  add_member(b, member);
  add_rule(a, b);
  EXPECT_EQ(send(loner.token, {user(member)}).status, 403);
  EXPECT_EQ(send(loner.token, {group(b)}).status, 403);
  EXPECT_EQ(send(loner.token, {user(admin_id())}).status, 403);
  EXPECT_EQ(send(loner.token, {user(loner.id)}).status, 201);
  EXPECT_EQ(inbox_total(loner.token), 1);
}

TEST_F(RulesApi, AdminsBypassRules) {
  Account outsider = make_account("out");
  std::string a = make_group("a");
  std::string b = make_group("b");
  std::string c = make_group("c");
  add_member(c, make_user("member"));
  add_rule(a, b);
  EXPECT_EQ(send(admin_token_, {user(outsider.id)}).status, 201);
  EXPECT_EQ(send(admin_token_, {group(c)}).status, 201);
  EXPECT_EQ(inbox_total(outsider.token), 1);
}

TEST_F(RulesApi, ReplyingToAReceivedMessageIsAlwaysAllowed) {
  Account x = make_account("x");  // in no group
  std::string a = make_group("a");
  std::string b = make_group("b");
  std::string bystander = make_user("bystander");
  add_member(b, bystander);
  add_rule(a, b);
  auto received = send(admin_token_, {user(x.id)}, "Your report");
  ASSERT_EQ(received.status, 201) << received.body;
  std::string original(received.json().at("id").as_string());

  // A fresh message to the admin is refused...
  EXPECT_EQ(send(x.token, {user(admin_id())}, "Unprompted").status, 403);
  // ...a reply is not.
  auto reply =
      http().post("/api/v1/messages",
                  json_text(json::object{{"reply_to", original}, {"body", "Done."}}), x.token);
  ASSERT_EQ(reply.status, 201) << reply.body;
  std::string answer(reply.json().at("id").as_string());
  auto seen = http().get("/api/v1/messages/" + answer, admin_token_);
  ASSERT_EQ(seen.status, 200) << seen.body;
  EXPECT_EQ(seen.json().at("folder").as_string(), "inbox");
  EXPECT_EQ(seen.json().at("from").at("id").as_string(), x.id);

  // The reply opens no door to anyone else.
  json::object wider{{"reply_to", original}, {"to", list({user(admin_id()), user(bystander)})}};
  EXPECT_EQ(http().post("/api/v1/messages", json_text(wider), x.token).status, 403);
}

TEST_F(RulesApi, TheDirectoryListsOnlyWhatTheCallerMayAddress) {
  Account alice = make_account("alice");
  std::string stem = unique("rulesdir");
  auto named_user = [&](const std::string& suffix) {
    json::object body{{"username", stem + suffix}};
    auto created = http().post("/api/v1/users", json_text(body), admin_token_);
    EXPECT_EQ(created.status, 201) << created.body;
    return std::string(created.json().at("id").as_string());
  };
  auto named_group = [&](const std::string& suffix) {
    json::object body{{"name", stem + suffix}};
    auto created = http().post("/api/v1/groups", json_text(body), admin_token_);
    EXPECT_EQ(created.status, 201) << created.body;
    return std::string(created.json().at("id").as_string());
  };
  std::string a = make_group("a");
  add_member(a, alice.id);
  std::string bob = named_user("bob");
  std::string outsider = named_user("out");
  std::string b = named_group("teachers");
  std::string c = named_group("others");
  add_member(b, bob);

  std::vector<std::string> everything{group(b), group(c), user(bob), user(outsider)};
  std::sort(everything.begin(), everything.end());
  EXPECT_EQ(directory(alice.token, stem), everything);

  std::string rule = add_rule(a, b);
  std::vector<std::string> reachable{group(b), user(bob)};
  std::sort(reachable.begin(), reachable.end());
  EXPECT_EQ(directory(alice.token, stem), reachable);
  EXPECT_EQ(directory(admin_token_, stem), everything);

  ASSERT_EQ(http().del("/api/v1/rules/" + rule, admin_token_).status, 204);
  EXPECT_EQ(directory(alice.token, stem), everything);
}

TEST_F(RulesApi, DeletingARuleLiftsIt) {
  Account alice = make_account("alice");
  Account outsider = make_account("out");
  std::string a = make_group("a");
  std::string b = make_group("b");
  add_member(a, alice.id);
  std::string rule = add_rule(a, b);
  EXPECT_EQ(send(alice.token, {user(outsider.id)}).status, 403);
  EXPECT_EQ(http().del("/api/v1/rules/" + rule, admin_token_).status, 204);
  EXPECT_EQ(send(alice.token, {user(outsider.id)}).status, 201);
  EXPECT_EQ(inbox_total(outsider.token), 1);
  EXPECT_EQ(http().del("/api/v1/rules/" + rule, admin_token_).status, 404);
  EXPECT_EQ(http().del("/api/v1/rules/abc", admin_token_).status, 404);
}

TEST_F(RulesApi, RulesNeedTwoExistingGroupsAndAreUnique) {
  std::string a = make_group("a");
  std::string b = make_group("b");
  auto post = [](const std::string& body) {
    return http().post("/api/v1/rules", body, admin_token_);
  };
  auto unknown = post(json_text(json::object{{"from_group", a}, {"to_group", "999999"}}));
  EXPECT_EQ(unknown.status, 404);
  EXPECT_EQ(unknown.error_code(), "not_found");
  EXPECT_EQ(post(json_text(json::object{{"from_group", "999999"}, {"to_group", b}})).status, 404);
  EXPECT_EQ(post(json_text(json::object{{"from_group", "x"}, {"to_group", b}})).status, 404);

  add_rule(a, b);
  auto twice = post(json_text(json::object{{"from_group", a}, {"to_group", b}}));
  EXPECT_EQ(twice.status, 409);
  EXPECT_EQ(twice.error_code(), "conflict");
  EXPECT_EQ(post(json_text(json::object{{"from_group", b}, {"to_group", a}})).status, 201);

  for (const std::string& bad :
       {std::string(R"({"from_group":")") + a + R"("})",
        std::string(R"({"to_group":")") + b + R"("})",
        std::string(R"({"from_group":1,"to_group":2})"),
        std::string(R"({"from_group":")") + a + R"(","to_group":")" + b + R"(","both":true})",
        std::string("not json")}) {
    EXPECT_EQ(post(bad).status, 400) << bad;
  }
  EXPECT_EQ(http().get("/api/v1/rules", admin_token_).json().at("items").as_array().size(), 2u);
}

}  // namespace
}  // namespace herald::test
