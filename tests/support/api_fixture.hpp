// A real herald server shared by the tests of one suite, with an admin logged in.
#pragma once

#include <atomic>
#include <memory>
#include <string>

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include "support/herald_process.hpp"
#include "support/http_client.hpp"

namespace herald::test {

class ApiTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = std::make_unique<TempDir>();
    server_ = std::make_unique<HeraldProcess>(dir_->path());
    admin_token_ = http().login("admin", kAdminPassword);
  }

  static void TearDownTestSuite() {
    server_.reset();
    dir_.reset();
  }

  static HttpClient http() { return HttpClient(server_->base_url()); }

  // A username no other test of this run has used.
  static std::string unique(const std::string& stem) {
    static std::atomic<int> counter{0};
    return stem + std::to_string(counter.fetch_add(1));
  }

  struct Account {
    std::string id;
    std::string username;
    std::string token;
  };

  // Creates a user with a password, logs them in.
  static Account make_account(const std::string& stem, const std::string& role = "user") {
    std::string username = unique(stem);
    boost::json::object body{{"username", username}, {"role", role}, {"password", "password-123"}};
    auto created = http().post("/api/v1/users", boost::json::serialize(body), admin_token_);
    EXPECT_EQ(created.status, 201) << created.body;
    std::string id(created.json().at("id").as_string());
    return {id, username, http().login(username, "password-123")};
  }

  // Creates a user without a password (fast: no Argon2id).
  static std::string make_user(const std::string& stem) {
    boost::json::object body{{"username", unique(stem)}};
    auto created = http().post("/api/v1/users", boost::json::serialize(body), admin_token_);
    EXPECT_EQ(created.status, 201) << created.body;
    return std::string(created.json().at("id").as_string());
  }

  static std::string make_group(const std::string& stem) {
    boost::json::object body{{"name", unique(stem)}};
    auto created = http().post("/api/v1/groups", boost::json::serialize(body), admin_token_);
    EXPECT_EQ(created.status, 201) << created.body;
    return std::string(created.json().at("id").as_string());
  }

  static inline std::unique_ptr<TempDir> dir_;
  static inline std::unique_ptr<HeraldProcess> server_;
  static inline std::string admin_token_;
};

inline std::string json_text(const boost::json::value& value) {
  return boost::json::serialize(value);
}

// Address and list shorthands for request bodies.
inline std::string user(const std::string& id) {
  return "user:" + id;
}
inline std::string group(const std::string& id) {
  return "group:" + id;
}
inline boost::json::array list(std::initializer_list<std::string> items) {
  boost::json::array out;
  for (const auto& item : items) out.emplace_back(item);
  return out;
}

}  // namespace herald::test
