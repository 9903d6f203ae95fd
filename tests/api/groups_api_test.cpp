// /groups, membership and /directory.
#include "support/api_fixture.hpp"

namespace herald::test {
namespace {

using GroupsApi = ApiTest;

TEST_F(GroupsApi, AdminsManageGroupsAndMembers) {
  std::string name = unique("Class 5A ");
  boost::json::object body{{"name", name}, {"description", "Pupils"}};
  auto created = http().post("/api/v1/groups", json_text(body), admin_token_);
  ASSERT_EQ(created.status, 201) << created.body;
  std::string id(created.json().at("id").as_string());
  EXPECT_EQ(created.json().at("member_count").as_int64(), 0);

  std::string a = make_user("pupil");
  std::string b = make_user("pupil");
  std::string members = "/api/v1/groups/" + id + "/members/";
  EXPECT_EQ(http().put(members + a, admin_token_).status, 204);
  EXPECT_EQ(http().put(members + a, admin_token_).status, 204);  // idempotent
  EXPECT_EQ(http().put(members + b, admin_token_).status, 204);

  auto group = http().get("/api/v1/groups/" + id, admin_token_);
  ASSERT_EQ(group.status, 200);
  EXPECT_EQ(group.json().at("member_count").as_int64(), 2);
  EXPECT_EQ(group.json().at("members").as_array().size(), 2u);

  EXPECT_EQ(http().del(members + a, admin_token_).status, 204);
  EXPECT_EQ(http().del(members + a, admin_token_).status, 204);
  EXPECT_EQ(http().get("/api/v1/groups/" + id, admin_token_).json().at("member_count").as_int64(),
            1);

  auto renamed =
      http().patch("/api/v1/groups/" + id, R"({"description":"Class of 2026"})", admin_token_);
  ASSERT_EQ(renamed.status, 200);
  EXPECT_EQ(renamed.json().at("description").as_string(), "Class of 2026");
  EXPECT_EQ(renamed.json().at("name").as_string(), name);

  EXPECT_EQ(http().del("/api/v1/groups/" + id, admin_token_).status, 204);
  EXPECT_EQ(http().get("/api/v1/groups/" + id, admin_token_).status, 404);
}

TEST_F(GroupsApi, MembershipOfMissingThingsIsNotFound) {
  std::string group = make_group("g");
  std::string user = make_user("u");
  EXPECT_EQ(http().put("/api/v1/groups/" + group + "/members/999999", admin_token_).status, 404);
  EXPECT_EQ(http().put("/api/v1/groups/999999/members/" + user, admin_token_).status, 404);
  EXPECT_EQ(http().put("/api/v1/groups/x/members/" + user, admin_token_).status, 404);
}

TEST_F(GroupsApi, GroupNamesAreUniqueAndChecked) {
  std::string name = unique("Staff");
  boost::json::object body{{"name", name}};
  EXPECT_EQ(http().post("/api/v1/groups", json_text(body), admin_token_).status, 201);
  EXPECT_EQ(http().post("/api/v1/groups", json_text(body), admin_token_).status, 409);
  EXPECT_EQ(http().post("/api/v1/groups", R"({"name":""})", admin_token_).status, 400);
  EXPECT_EQ(http().post("/api/v1/groups", R"({"name":"x","members":[]})", admin_token_).status,
            400);
}

TEST_F(GroupsApi, EveryoneReadsGroupsOnlyAdminsChangeThem) {
  Account alice = make_account("alice");
  std::string group = make_group("readable");
  EXPECT_EQ(http().get("/api/v1/groups", alice.token).status, 200);
  EXPECT_EQ(http().get("/api/v1/groups/" + group, alice.token).status, 200);
  EXPECT_EQ(http().post("/api/v1/groups", R"({"name":"mine"})", alice.token).status, 403);
  EXPECT_EQ(http().patch("/api/v1/groups/" + group, R"({"name":"x"})", alice.token).status, 403);
  EXPECT_EQ(http().del("/api/v1/groups/" + group, alice.token).status, 403);
  EXPECT_EQ(http().put("/api/v1/groups/" + group + "/members/" + alice.id, alice.token).status,
            403);
  EXPECT_EQ(http().get("/api/v1/groups", "").status, 401);
}

TEST_F(GroupsApi, MembersShowOnlyNamesToNonAdmins) {
  Account viewer = make_account("viewer");
  std::string group = make_group("private-emails");
  boost::json::object body{{"username", unique("member")}, {"email", "member@example.org"}};
  auto member = http().post("/api/v1/users", json_text(body), admin_token_);
  std::string member_id(member.json().at("id").as_string());
  ASSERT_EQ(http().put("/api/v1/groups/" + group + "/members/" + member_id, admin_token_).status,
            204);
  auto seen = http().get("/api/v1/groups/" + group, viewer.token).json();
  auto listed = seen.at("members").as_array().at(0).as_object();
  EXPECT_TRUE(listed.contains("username"));
  EXPECT_FALSE(listed.contains("email"));
  auto by_admin = http().get("/api/v1/groups/" + group, admin_token_).json();
  EXPECT_EQ(by_admin.at("members").as_array().at(0).at("email").as_string(), "member@example.org");
}

TEST_F(GroupsApi, DirectorySearchFindsUsersAndGroupsByPrefix) {
  Account viewer = make_account("viewer");
  std::string stem = unique("zorro");
  boost::json::object user{{"username", stem + "user"}, {"display_name", "Zed Zorro"}};
  ASSERT_EQ(http().post("/api/v1/users", json_text(user), admin_token_).status, 201);
  boost::json::object group{{"name", stem + " Club"}};
  ASSERT_EQ(http().post("/api/v1/groups", json_text(group), admin_token_).status, 201);

  auto reply = http().get("/api/v1/directory?q=" + stem, viewer.token);
  ASSERT_EQ(reply.status, 200) << reply.body;
  auto items = reply.json().at("items").as_array();
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(items[0].at("type").as_string(), "user");
  EXPECT_EQ(items[0].at("address").as_string(),
            "user:" + std::string(items[0].at("id").as_string()));
  EXPECT_EQ(items[1].at("type").as_string(), "group");
  EXPECT_EQ(std::string(items[1].at("address").as_string()).substr(0, 6), "group:");
  EXPECT_EQ(http().get("/api/v1/directory?q=%ZZ", viewer.token).status, 400);
}

}  // namespace
}  // namespace herald::test
