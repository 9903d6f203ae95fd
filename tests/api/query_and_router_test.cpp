#include <gtest/gtest.h>

#include "api/json_io.hpp"
#include "api/query_params.hpp"
#include "api/request_context.hpp"
#include "api/router.hpp"

namespace herald::api {
namespace {

TEST(QueryParams, DecodesEscapesAndPlus) {
  auto params = QueryParams::parse("q=%C3%A9l%C3%A8ve+x&limit=5&empty=");
  ASSERT_TRUE(params);
  EXPECT_EQ(params->get("q"), "\xC3\xA9l\xC3\xA8ve x");
  EXPECT_EQ(params->get("limit"), "5");
  EXPECT_EQ(params->get("empty"), "");
  EXPECT_FALSE(params->get("missing"));
}

TEST(QueryParams, RefusesMalformedEscapesAndBadUtf8) {
  EXPECT_FALSE(QueryParams::parse("q=%zz"));
  EXPECT_FALSE(QueryParams::parse("q=%4"));
  EXPECT_FALSE(QueryParams::parse("q=%FF"));
}

TEST(Router, MatchesCapturesAndTellsWrongMethods) {
  Router router;
  int hit = 0;
  router.add(Method::get, "/api/v1/users/{id}", Execution::io_thread, [&](RequestContext&) {
    ++hit;
    return ApiResponse{};
  });
  router.add(Method::put, "/api/v1/groups/{id}/members/{user}", Execution::worker,
             [&](RequestContext&) { return ApiResponse{}; });
  auto match = router.match(Method::get, "/api/v1/users/42");
  ASSERT_TRUE(match.route);
  EXPECT_EQ(match.params, std::vector<std::string>{"42"});
  auto members = router.match(Method::put, "/api/v1/groups/1/members/2");
  ASSERT_TRUE(members.route);
  EXPECT_EQ(members.route->execution, Execution::worker);
  auto wrong = router.match(Method::post, "/api/v1/users/42");
  EXPECT_FALSE(wrong.route);
  EXPECT_TRUE(wrong.path_known);
  EXPECT_FALSE(router.match(Method::get, "/api/v1/users").route);
  EXPECT_FALSE(router.match(Method::get, "/api/v1/users/").route);
}

TEST(Ids, OnlyCanonicalPositiveNumbersAreIds) {
  EXPECT_EQ(parse_id("42"), 42);
  EXPECT_FALSE(parse_id("042"));
  EXPECT_FALSE(parse_id("-1"));
  EXPECT_FALSE(parse_id("0"));
  EXPECT_FALSE(parse_id("4x"));
  EXPECT_FALSE(parse_id("99999999999999999999"));
}

TEST(Cookies, FindsANamedCookie) {
  EXPECT_EQ(cookie_value("a=1; herald_session=tok; b=2", "herald_session"), "tok");
  EXPECT_FALSE(cookie_value("herald_session_x=1", "herald_session"));
}

TEST(JsonInput, RefusesUnknownFieldsAndWrongTypes) {
  auto body = parse_object(R"({"name":"x","extra":1})");
  ASSERT_TRUE(body.ok());
  EXPECT_FALSE(allow_only(*body, {"name"}).ok());
  EXPECT_FALSE(required_string(*body, "extra").ok());
  EXPECT_FALSE(parse_object("[1,2]").ok());
  EXPECT_FALSE(parse_object("{\"a\":\"\xFF\"}").ok());  // bad UTF-8 inside a string
}

}  // namespace
}  // namespace herald::api
