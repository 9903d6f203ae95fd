// POST /login, POST /logout, GET /me, tokens, cookies and CSRF, login throttling.
#include "support/api_fixture.hpp"

namespace herald::test {
namespace {

using AuthApi = ApiTest;

TEST_F(AuthApi, LoginReturnsATokenAndTheUser) {
  auto reply =
      http().post("/api/v1/login", R"({"username":"admin","password":"admin-password-for-tests"})");
  ASSERT_EQ(reply.status, 200) << reply.body;
  auto body = reply.json().as_object();
  EXPECT_GE(body.at("token").as_string().size(), 43u);
  EXPECT_EQ(body.at("user").at("username").as_string(), "admin");
  EXPECT_EQ(body.at("user").at("role").as_string(), "admin");
  EXPECT_FALSE(body.at("user").as_object().contains("password_hash"));
}

TEST_F(AuthApi, MeShowsTheCallerAndUnreadCounts) {
  auto reply = http().get("/api/v1/me", admin_token_);
  ASSERT_EQ(reply.status, 200);
  auto body = reply.json();
  EXPECT_EQ(body.at("user").at("username").as_string(), "admin");
  EXPECT_EQ(body.at("unread").at("inbox").as_int64(), 0);
  EXPECT_EQ(body.at("unread").at("notifications").as_int64(), 0);
}

TEST_F(AuthApi, WrongCredentialsAre401WithAJsonError) {
  auto wrong = http().post("/api/v1/login", R"({"username":"admin","password":"nope-nope"})");
  EXPECT_EQ(wrong.status, 401);
  EXPECT_EQ(wrong.error_code(), "unauthorized");
  auto unknown = http().post("/api/v1/login", R"({"username":"ghost","password":"nope-nope"})");
  EXPECT_EQ(unknown.status, 401);
  EXPECT_EQ(unknown.json().at("error").at("message"), wrong.json().at("error").at("message"));
}

TEST_F(AuthApi, RequestsWithoutOrWithBadTokensAre401) {
  EXPECT_EQ(http().get("/api/v1/me").status, 401);
  EXPECT_EQ(http().get("/api/v1/me", "made-up-token").status, 401);
  auto basic = http().request("GET", "/api/v1/me", std::nullopt, {"Authorization: Basic YTpi"});
  EXPECT_EQ(basic.status, 401);
  EXPECT_EQ(basic.error_code(), "unauthorized");
}

TEST_F(AuthApi, LogoutRevokesTheToken) {
  std::string token = http().login("admin", kAdminPassword);
  ASSERT_EQ(http().get("/api/v1/me", token).status, 200);
  EXPECT_EQ(http().post("/api/v1/logout", "", token).status, 204);
  EXPECT_EQ(http().get("/api/v1/me", token).status, 401);
  EXPECT_EQ(http().get("/api/v1/me", admin_token_).status, 200);  // other sessions live on
}

TEST_F(AuthApi, CookieLoginNeedsTheCsrfHeaderForChanges) {
  auto reply =
      http().post("/api/v1/login",
                  R"({"username":"admin","password":"admin-password-for-tests","cookie":true})");
  ASSERT_EQ(reply.status, 200);
  auto body = reply.json().as_object();
  EXPECT_FALSE(body.contains("token"));  // the token stays in the HttpOnly cookie
  std::string csrf(body.at("csrf_token").as_string());
  std::string session;
  for (const auto& cookie : reply.headers_named("set-cookie")) {
    if (cookie.rfind("herald_session=", 0) == 0) {
      session = cookie.substr(15, cookie.find(';') - 15);
      EXPECT_NE(cookie.find("HttpOnly"), std::string::npos);
      EXPECT_NE(cookie.find("SameSite=Strict"), std::string::npos);
    }
  }
  ASSERT_FALSE(session.empty());
  std::string cookie = "Cookie: herald_session=" + session;

  EXPECT_EQ(http().request("GET", "/api/v1/me", std::nullopt, {cookie}).status, 200);
  std::string group = R"({"name":")" + unique("cookie-group") + R"("})";
  auto refused = http().request("POST", "/api/v1/groups", group, {cookie});
  EXPECT_EQ(refused.status, 403);
  auto forged = http().request("POST", "/api/v1/groups", group, {cookie, "X-CSRF-Token: forged"});
  EXPECT_EQ(forged.status, 403);
  auto accepted =
      http().request("POST", "/api/v1/groups", group, {cookie, "X-CSRF-Token: " + csrf});
  EXPECT_EQ(accepted.status, 201) << accepted.body;
}

TEST_F(AuthApi, LoginRejectsMalformedBodies) {
  EXPECT_EQ(http().post("/api/v1/login", "").status, 400);
  EXPECT_EQ(http().post("/api/v1/login", "{").status, 400);
  EXPECT_EQ(http().post("/api/v1/login", R"({"username":1,"password":"x"})").status, 400);
  EXPECT_EQ(http().post("/api/v1/login", R"({"username":"admin"})").status, 400);
  auto extra = http().post("/api/v1/login", R"({"username":"a","password":"b","admin":true})");
  EXPECT_EQ(extra.status, 400);
  EXPECT_EQ(extra.error_code(), "bad_request");
}

TEST_F(AuthApi, RepeatedFailuresAreThrottledPerAccount) {
  Account victim = make_account("victim");
  boost::json::object wrong{{"username", victim.username}, {"password", "wrong-password"}};
  int throttled_at = -1;
  for (int i = 0; i < 12 && throttled_at < 0; ++i) {
    auto reply = http().post("/api/v1/login", json_text(wrong));
    if (reply.status == 429) {
      throttled_at = i;
      EXPECT_EQ(reply.error_code(), "rate_limited");
      ASSERT_TRUE(reply.header("retry-after"));
      EXPECT_GT(std::stoi(*reply.header("retry-after")), 0);
    } else {
      EXPECT_EQ(reply.status, 401);
    }
  }
  EXPECT_EQ(throttled_at, 10);  // a burst of 10 failures is allowed
  boost::json::object right{{"username", victim.username}, {"password", "password-123"}};
  EXPECT_EQ(http().post("/api/v1/login", json_text(right)).status, 429);
  // Another account is not affected.
  EXPECT_EQ(http().get("/api/v1/me", admin_token_).status, 200);
}

}  // namespace
}  // namespace herald::test
