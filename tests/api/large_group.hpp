// A group of thousands of users for tests of large sends, created over HTTP by eight clients at
// once. Three members can log in with kMemberPassword: "first", "middle" and "last".
#pragma once

#include <string>
#include <thread>
#include <vector>

#include <boost/json.hpp>

#include "support/http_client.hpp"

namespace herald::test {

inline constexpr const char* kMemberPassword = "member-password";
inline const std::vector<std::string> kMembersWhoLogIn{"first", "middle", "last"};

// Returns the group's id.
inline std::string make_large_group(const std::string& base_url, const std::string& admin,
                                    int members) {
  HttpClient http(base_url);
  auto group = http.post("/api/v1/groups", R"({"name":"everyone"})", admin);
  if (group.status != 201) throw std::runtime_error("cannot create the group");
  std::string group_id(group.json().at("id").as_string());
  auto join = [&](const HttpClient& client, const std::string& username, bool password) {
    std::string body =
        R"({"username":")" + username + "\"" +
        (password ? std::string(R"(,"password":")") + kMemberPassword + "\"}" : std::string("}"));
    auto user = client.post("/api/v1/users", body, admin);
    if (user.status != 201) throw std::runtime_error("cannot create " + username);
    std::string id(user.json().at("id").as_string());
    if (client.put("/api/v1/groups/" + group_id + "/members/" + id, admin).status != 204) {
      throw std::runtime_error("cannot add " + username);
    }
  };
  join(http, "first", true);
  std::vector<std::thread> creators;
  for (int t = 0; t < 8; ++t) {
    creators.emplace_back([&, t] {
      HttpClient client(base_url);
      for (int i = t; i < members - 3; i += 8) {
        join(client, "m" + std::to_string(i), false);
        if (i == members / 2) join(client, "middle", true);
      }
    });
  }
  for (auto& creator : creators) creator.join();
  join(http, "last", true);
  return group_id;
}

}  // namespace herald::test
