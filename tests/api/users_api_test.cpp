// /users: CRUD, roles, the 404-not-403 rule for objects, and bad input.
#include "support/api_fixture.hpp"

namespace herald::test {
namespace {

using UsersApi = ApiTest;

TEST_F(UsersApi, AdminsCreateReadUpdateAndDeleteUsers) {
  std::string username = unique("eve");
  boost::json::object body{{"username", username},
                           {"display_name", "\xC3\x88ve Durand"},
                           {"email", "eve@example.org"},
                           {"role", "sender"}};
  auto created = http().post("/api/v1/users", json_text(body), admin_token_);
  ASSERT_EQ(created.status, 201) << created.body;
  auto user = created.json().as_object();
  std::string id(user.at("id").as_string());
  EXPECT_EQ(user.at("username").as_string(), username);
  EXPECT_EQ(user.at("display_name").as_string(), "\xC3\x88ve Durand");
  EXPECT_EQ(user.at("role").as_string(), "sender");
  EXPECT_TRUE(user.at("created_at").is_string());

  auto read = http().get("/api/v1/users/" + id, admin_token_);
  ASSERT_EQ(read.status, 200);
  EXPECT_EQ(read.json().at("email").as_string(), "eve@example.org");

  auto patched = http().patch("/api/v1/users/" + id, R"({"display_name":"Eve D.","email":null})",
                              admin_token_);
  ASSERT_EQ(patched.status, 200) << patched.body;
  EXPECT_EQ(patched.json().at("display_name").as_string(), "Eve D.");
  EXPECT_TRUE(patched.json().at("email").is_null());

  EXPECT_EQ(http().del("/api/v1/users/" + id, admin_token_).status, 204);
  EXPECT_EQ(http().get("/api/v1/users/" + id, admin_token_).status, 404);
  EXPECT_EQ(http().del("/api/v1/users/" + id, admin_token_).status, 404);
}

TEST_F(UsersApi, ListsUsersWithCursorPagination) {
  std::string stem = unique("page");
  for (int i = 0; i < 5; ++i) make_user(stem + "x");
  std::vector<std::string> seen;
  std::string cursor;
  int pages = 0;
  do {
    std::string path = "/api/v1/users?limit=2&q=" + stem;
    if (!cursor.empty()) path += "&cursor=" + cursor;
    auto reply = http().get(path, admin_token_);
    ASSERT_EQ(reply.status, 200) << reply.body;
    auto body = reply.json().as_object();
    for (const auto& item : body.at("items").as_array()) {
      seen.emplace_back(item.at("username").as_string());
    }
    cursor =
        body.at("next_cursor").is_null() ? "" : std::string(body.at("next_cursor").as_string());
    ++pages;
  } while (!cursor.empty() && pages < 10);
  EXPECT_EQ(seen.size(), 5u);
  EXPECT_EQ(pages, 3);
  EXPECT_EQ(http().get("/api/v1/users?limit=0", admin_token_).status, 400);
  EXPECT_EQ(http().get("/api/v1/users?limit=abc", admin_token_).status, 400);
  EXPECT_EQ(http().get("/api/v1/users?cursor=garbage", admin_token_).status, 400);
  EXPECT_EQ(http().get("/api/v1/users?limit=100000", admin_token_).status, 200);  // clamped
}

TEST_F(UsersApi, PlainUsersMayNotManageUsers) {
  Account alice = make_account("alice");
  Account bob = make_account("bob");
  EXPECT_EQ(http().get("/api/v1/users", alice.token).status, 403);
  auto create = http().post("/api/v1/users", R"({"username":"intruder"})", alice.token);
  EXPECT_EQ(create.status, 403);
  EXPECT_EQ(create.error_code(), "forbidden");
  EXPECT_EQ(http().del("/api/v1/users/" + bob.id, alice.token).status, 403);
  // Another user's object is not found, not forbidden.
  EXPECT_EQ(http().get("/api/v1/users/" + bob.id, alice.token).status, 404);
  EXPECT_EQ(http().patch("/api/v1/users/" + bob.id, R"({"display_name":"x"})", alice.token).status,
            404);
  // Their own is theirs.
  EXPECT_EQ(http().get("/api/v1/users/" + alice.id, alice.token).status, 200);
  auto renamed =
      http().patch("/api/v1/users/" + alice.id, R"({"display_name":"Alice M."})", alice.token);
  EXPECT_EQ(renamed.status, 200);
  EXPECT_EQ(http().patch("/api/v1/users/" + alice.id, R"({"role":"admin"})", alice.token).status,
            403);
}

TEST_F(UsersApi, SendersAreNotAdmins) {
  Account sam = make_account("sam", "sender");
  EXPECT_EQ(http().get("/api/v1/users", sam.token).status, 403);
  EXPECT_EQ(http().post("/api/v1/groups", R"({"name":"by-sender"})", sam.token).status, 403);
}

TEST_F(UsersApi, ChangingOwnPasswordNeedsTheCurrentOne) {
  Account carol = make_account("carol");
  auto refused =
      http().patch("/api/v1/users/" + carol.id, R"({"password":"another-password"})", carol.token);
  EXPECT_EQ(refused.status, 403);
  auto changed = http().patch(
      "/api/v1/users/" + carol.id,
      R"({"password":"another-password","current_password":"password-123"})", carol.token);
  EXPECT_EQ(changed.status, 200) << changed.body;
  EXPECT_NO_THROW(http().login(carol.username, "another-password"));
}

TEST_F(UsersApi, ANewPasswordRevokesEveryToken) {
  Account gina = make_account("gina");
  std::string second = http().login(gina.username, "password-123");
  auto reset =
      http().patch("/api/v1/users/" + gina.id, R"({"password":"reset-by-admin"})", admin_token_);
  ASSERT_EQ(reset.status, 200) << reset.body;
  EXPECT_EQ(http().get("/api/v1/me", gina.token).status, 401);
  EXPECT_EQ(http().get("/api/v1/me", second).status, 401);
  EXPECT_NO_THROW(http().login(gina.username, "reset-by-admin"));
}

TEST_F(UsersApi, ANullRoleIsRefusedNotAPromotionOrDemotion) {
  Account hal = make_account("hal", "sender");
  auto reply = http().patch("/api/v1/users/" + hal.id, R"({"role":null})", admin_token_);
  EXPECT_EQ(reply.status, 400);
  EXPECT_EQ(http().get("/api/v1/users/" + hal.id, admin_token_).json().at("role").as_string(),
            "sender");
}

TEST_F(UsersApi, RoleChangesApplyToLiveTokensAtOnce) {
  Account dan = make_account("dan");
  EXPECT_EQ(http().get("/api/v1/users", dan.token).status, 403);
  ASSERT_EQ(http().patch("/api/v1/users/" + dan.id, R"({"role":"admin"})", admin_token_).status,
            200);
  EXPECT_EQ(http().get("/api/v1/users", dan.token).status, 200);
  ASSERT_EQ(http().del("/api/v1/users/" + dan.id, admin_token_).status, 204);
  EXPECT_EQ(http().get("/api/v1/me", dan.token).status, 401);
}

TEST_F(UsersApi, UsernamesAreUniqueAndValidated) {
  std::string username = unique("frank");
  boost::json::object body{{"username", username}};
  EXPECT_EQ(http().post("/api/v1/users", json_text(body), admin_token_).status, 201);
  auto again = http().post("/api/v1/users", json_text(body), admin_token_);
  EXPECT_EQ(again.status, 409);
  EXPECT_EQ(again.error_code(), "conflict");
  for (const char* bad :
       {R"({"username":"Has Space"})", R"({"username":""})", R"({"username":"ok","role":"king"})",
        R"({"username":"ok","email":"nope"})", R"({"username":"ok","password":"short"})",
        R"({"username":"ok","display_name":"tab\there"})"}) {
    auto reply = http().post("/api/v1/users", bad, admin_token_);
    EXPECT_EQ(reply.status, 400) << bad;
    EXPECT_EQ(reply.error_code(), "bad_request") << bad;
  }
}

TEST_F(UsersApi, BadInputNeverWritesAnything) {
  auto count_users = [] {
    auto reply = http().get("/api/v1/users?limit=200", admin_token_);
    return reply.json().at("items").as_array().size();
  };
  std::size_t before = count_users();
  const std::vector<std::string> bodies = {"",
                                           "not json",
                                           "[]",
                                           "{\"username\":",
                                           R"({"username":42})",
                                           R"({"username":"x1","unknown":true})",
                                           "{\"username\":\"bad\xFF\"}",
                                           R"({"username":"x2","role":null,"email":7})"};
  for (const auto& body : bodies) {
    auto reply = http().post("/api/v1/users", body, admin_token_);
    EXPECT_EQ(reply.status, 400) << body;
    EXPECT_FALSE(reply.error_code().empty()) << body;
  }
  EXPECT_EQ(count_users(), before);
}

TEST_F(UsersApi, BadIdsAreNotFound) {
  for (const char* id : {"0", "-1", "abc", "01", "99999999", "1%00"}) {
    EXPECT_EQ(http().get(std::string("/api/v1/users/") + id, admin_token_).status, 404) << id;
  }
}

TEST_F(UsersApi, OversizedBodiesAre413) {
  std::string huge =
      R"({"username":"big","display_name":")" + std::string(2 * 1024 * 1024, 'x') + R"("})";
  auto reply = http().post("/api/v1/users", huge, admin_token_);
  EXPECT_EQ(reply.status, 413);
  EXPECT_EQ(reply.error_code(), "too_large");
}

TEST_F(UsersApi, TheLastAdminStays) {
  auto me = http().get("/api/v1/me", admin_token_).json();
  std::string admin_id(me.at("user").at("id").as_string());
  EXPECT_EQ(http().del("/api/v1/users/" + admin_id, admin_token_).status, 409);
  auto demote = http().patch("/api/v1/users/" + admin_id, R"({"role":"user"})", admin_token_);
  EXPECT_EQ(demote.status, 409);
}

}  // namespace
}  // namespace herald::test
