// A real `herald serve` with real delivery peers for the delivery tests: start it with the
// flags a test needs, make users with an address, read back the delivery rows.
#pragma once

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <thread>

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include "common/crypto.hpp"
#include "delivery/push/jwt.hpp"
#include "support/herald_process.hpp"
#include "support/http_client.hpp"
#include "support/node_peer.hpp"
#include "support/parsed_mail.hpp"
#include "support/smtp_sink.hpp"
#include "support/test_certificate.hpp"

namespace herald::test {

using namespace std::chrono_literals;
namespace json = boost::json;

inline constexpr const char* kSubject = "mailto:ops@school.example";

// A TCP port that takes connections into its backlog and never answers: a relay that hangs.
class SilentListener {
 public:
  SilentListener() {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    if (fd_ < 0 || ::bind(fd_, reinterpret_cast<sockaddr*>(&address), length) != 0 ||
        ::listen(fd_, 64) != 0 ||
        ::getsockname(fd_, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
      throw std::runtime_error("cannot open a silent listener");
    }
    port_ = ntohs(address.sin_port);
  }
  ~SilentListener() { ::close(fd_); }
  unsigned short port() const { return port_; }

 private:
  int fd_ = -1;
  unsigned short port_ = 0;
};

class DeliveryTest : public ::testing::Test {
 protected:
  void SetUp() override { init_crypto(); }

  void start(std::vector<std::string> args, int timeout_ms = 2000,
             const std::string& retry_base_ms = "50") {
    args.insert(args.end(), {"--mail-from", "herald@school.example", "--vapid-subject", kSubject,
                             "--delivery-retry-base", retry_base_ms, "--delivery-timeout",
                             std::to_string(timeout_ms)});
    server_ = std::make_unique<HeraldProcess>(data_.path(), args);
    admin_ = client().login("admin", kAdminPassword);
  }
  HttpClient client() const { return HttpClient(server_->base_url()); }

  // A user with an email address, logged in; returns {id, token}.
  std::pair<std::string, std::string> make_user(const std::string& name) {
    json::object body{{"username", name},
                      {"display_name", "Zoé " + name},
                      {"email", name + "@school.example"},
                      {"password", "password-123"}};
    auto created = client().post("/api/v1/users", json::serialize(body), admin_);
    EXPECT_EQ(created.status, 201) << created.body;
    return {std::string(created.json().at("id").as_string()), client().login(name, "password-123")};
  }

  HttpResult notify(const json::object& body) {
    return client().post("/api/v1/notices", json::serialize(body), admin_);
  }

  // The message's delivery rows once none is queued (or after 15 s, failing the test).
  json::array settled_deliveries(const std::string& message) {
    auto deadline = std::chrono::steady_clock::now() + 15s;
    json::array items;
    while (std::chrono::steady_clock::now() < deadline) {
      items = client()
                  .get("/api/v1/deliveries?message=" + message, admin_)
                  .json()
                  .at("items")
                  .as_array();
      bool queued = std::any_of(items.begin(), items.end(), [](const json::value& row) {
        return row.at("status") == "queued";
      });
      if (!queued) return items;
      std::this_thread::sleep_for(20ms);
    }
    ADD_FAILURE() << "deliveries still queued: " << json::serialize(items);
    return items;
  }

  static void wait_for(const std::function<bool()>& done, std::chrono::seconds limit = 15s) {
    auto deadline = std::chrono::steady_clock::now() + limit;
    while (!done() && std::chrono::steady_clock::now() < deadline)
      std::this_thread::sleep_for(20ms);
    ASSERT_TRUE(done()) << "timed out";
  }

  TempDir data_;
  std::unique_ptr<HeraldProcess> server_;
  std::string admin_;
};

}  // namespace herald::test
