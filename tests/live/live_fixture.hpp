// A real herald for live-session tests, with a one-second heartbeat so that pings, idle and
// hello timeouts happen within a test's patience.
#pragma once

#include <string>

#include "support/api_fixture.hpp"
#include "support/live_clients.hpp"

namespace herald::test {

class LiveTest : public ApiTest {
 protected:
  static void SetUpTestSuite() {
    dir_ = std::make_unique<TempDir>();
    server_ = std::make_unique<HeraldProcess>(dir_->path(),
                                              std::vector<std::string>{"--live-heartbeat", "1"});
    admin_token_ = http().login("admin", kAdminPassword);
  }

  static unsigned short port() { return server_->port(); }
  static Headers bearer(const std::string& token) { return {{"Authorization", "Bearer " + token}}; }
  static std::string session_id(const boost::json::value& welcome) {
    return std::string(welcome.at("session").as_string());
  }
  static std::string type_of(const boost::json::value& event) {
    return std::string(event.at("type").as_string());
  }
  // The open sessions, as the admin sees them.
  static boost::json::array sessions(const std::string& query = "") {
    auto listed = http().get("/api/v1/sessions" + query, admin_token_);
    EXPECT_EQ(listed.status, 200) << listed.body;
    return listed.json().at("items").as_array();
  }
  static bool listed(const std::string& id) {
    for (const auto& item : sessions("?limit=200")) {
      if (item.at("id").as_string() == id) return true;
    }
    return false;
  }
  // Waits until the session has left the registry.
  static bool gone(const std::string& id) {
    for (int i = 0; i < 100; ++i) {
      if (!listed(id)) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return false;
  }
};

}  // namespace herald::test
