// /devices over real HTTP: registering Web Push, APNs and FCM devices, listing, removing, and
// what is refused.
#include "support/api_fixture.hpp"

namespace herald::test {
namespace {

// The receiver's public key and secret of RFC 8291's example.
constexpr const char* kP256dh =
    "BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4";
constexpr const char* kAuth = "BTBZMqHH6r4Tts7J_aSIgg";

class DevicesApi : public ApiTest {
 protected:
  static boost::json::object webpush(const std::string& endpoint) {
    return {{"platform", "webpush"},
            {"name", "Firefox on the laptop"},
            {"endpoint", endpoint},
            {"expirationTime", nullptr},
            {"keys", {{"p256dh", kP256dh}, {"auth", kAuth}}}};
  }
  static HttpResult add(const boost::json::object& body, const std::string& token) {
    return http().post("/api/v1/devices", json_text(body), token);
  }
};

TEST_F(DevicesApi, RegistersListsAndRemovesOwnDevices) {
  auto ann = make_account("ann");
  std::string endpoint = "https://push.example.net/send/" + unique("sub");
  auto browser = add(webpush(endpoint), ann.token);
  ASSERT_EQ(browser.status, 201) << browser.body;
  EXPECT_EQ(browser.json().at("platform").as_string(), "webpush");
  EXPECT_EQ(browser.json().at("endpoint").as_string(), endpoint);
  EXPECT_EQ(browser.json().at("user_id").as_string(), ann.id);
  EXPECT_FALSE(browser.json().as_object().contains("keys"));  // never echoed
  std::string apns_token(64, 'a');
  auto iphone = add({{"platform", "apns"}, {"name", "iPhone"}, {"token", apns_token}}, ann.token);
  ASSERT_EQ(iphone.status, 201) << iphone.body;
  EXPECT_EQ(iphone.json().at("token").as_string(), apns_token);
  auto pixel = add({{"platform", "fcm"}, {"token", "fcm:" + unique("t")}}, ann.token);
  ASSERT_EQ(pixel.status, 201) << pixel.body;

  auto listed = http().get("/api/v1/devices", ann.token);
  ASSERT_EQ(listed.status, 200);
  ASSERT_EQ(listed.json().at("items").as_array().size(), 3u);
  EXPECT_EQ(listed.json().at("items").at(0).at("name").as_string(), "Firefox on the laptop");

  std::string id(iphone.json().at("id").as_string());
  EXPECT_EQ(http().del("/api/v1/devices/" + id, ann.token).status, 204);
  EXPECT_EQ(http().del("/api/v1/devices/" + id, ann.token).status, 404);
  EXPECT_EQ(http().get("/api/v1/devices", ann.token).json().at("items").as_array().size(), 2u);
}

TEST_F(DevicesApi, AdminsListEveryonesDevicesAndOpenOne) {
  auto di = make_account("di");
  auto ed = make_account("ed");
  std::string tag = unique("tab");
  auto tablet =
      add({{"platform", "fcm"}, {"name", tag}, {"token", "fcm:" + unique("t")}}, di.token);
  ASSERT_EQ(tablet.status, 201) << tablet.body;
  std::string id(tablet.json().at("id").as_string());

  auto found = http().get("/api/v1/devices?all=true&q=" + tag, admin_token_);
  ASSERT_EQ(found.status, 200) << found.body;
  auto found_body = found.json();
  ASSERT_EQ(found_body.at("items").as_array().size(), 1u);
  const auto& item = found_body.at("items").at(0);
  EXPECT_EQ(item.at("id").as_string(), id);
  EXPECT_EQ(item.at("user").at("username").as_string(), di.username);
  EXPECT_EQ(http()
                .get("/api/v1/devices?all=true&q=" + di.username, admin_token_)
                .json()
                .at("items")
                .as_array()
                .size(),
            1u);
  EXPECT_EQ(http().get("/api/v1/devices?all=true", di.token).status, 403);

  auto one = http().get("/api/v1/devices/" + id, admin_token_);
  ASSERT_EQ(one.status, 200);
  EXPECT_EQ(one.json().at("name").as_string(), tag);
  EXPECT_EQ(one.json().at("user").at("id").as_string(), di.id);
  EXPECT_EQ(http().get("/api/v1/devices/" + id, di.token).status, 200);
  EXPECT_EQ(http().get("/api/v1/devices/" + id, ed.token).status, 404);  // not ed's to see
  EXPECT_EQ(http().get("/api/v1/devices/999999", admin_token_).status, 404);
}

TEST_F(DevicesApi, RegisteringAgainUpdatesTheSameDevice) {
  auto bo = make_account("bo");
  auto cy = make_account("cy");
  std::string endpoint = "https://push.example.net/send/" + unique("sub");
  auto first = add(webpush(endpoint), bo.token);
  ASSERT_EQ(first.status, 201);
  auto renamed = webpush(endpoint);
  renamed["name"] = "Renamed";
  auto again = add(renamed, bo.token);
  ASSERT_EQ(again.status, 200) << again.body;
  EXPECT_EQ(again.json().at("id"), first.json().at("id"));
  EXPECT_EQ(again.json().at("name").as_string(), "Renamed");
  // The browser now belongs to whoever registered it last.
  ASSERT_EQ(add(webpush(endpoint), cy.token).status, 200);
  EXPECT_TRUE(http().get("/api/v1/devices", bo.token).json().at("items").as_array().empty());
  EXPECT_EQ(http().get("/api/v1/devices", cy.token).json().at("items").as_array().size(), 1u);
}

TEST_F(DevicesApi, OthersDevicesAreInvisibleExceptToAdmins) {
  auto dee = make_account("dee");
  auto eve = make_account("eve");
  auto device = add({{"platform", "fcm"}, {"token", "fcm:" + unique("t")}}, dee.token);
  ASSERT_EQ(device.status, 201);
  std::string id(device.json().at("id").as_string());
  EXPECT_EQ(http().del("/api/v1/devices/" + id, eve.token).status, 404);
  EXPECT_EQ(http().get("/api/v1/devices?user=" + dee.id, eve.token).status, 403);
  EXPECT_EQ(http().get("/api/v1/devices?user=" + eve.id, eve.token).status, 200);
  auto by_admin = http().get("/api/v1/devices?user=" + dee.id, admin_token_);
  ASSERT_EQ(by_admin.status, 200);
  ASSERT_EQ(by_admin.json().at("items").as_array().size(), 1u);
  EXPECT_EQ(http().del("/api/v1/devices/" + id, admin_token_).status, 204);
  EXPECT_EQ(http().get("/api/v1/devices").status, 401);
}

TEST_F(DevicesApi, RefusesMalformedRegistrations) {
  auto fay = make_account("fay");
  auto status = [&](const boost::json::object& body) { return add(body, fay.token).status; };
  EXPECT_EQ(status({{"platform", "pager"}, {"token", "x"}}), 400);
  EXPECT_EQ(status({{"token", "x"}}), 400);
  EXPECT_EQ(status({{"platform", "fcm"}}), 400);
  EXPECT_EQ(status({{"platform", "fcm"}, {"token", "has space"}}), 400);
  EXPECT_EQ(status({{"platform", "apns"}, {"token", "not-hex"}}), 400);
  EXPECT_EQ(status({{"platform", "fcm"}, {"token", "t"}, {"colour", "red"}}), 400);
  auto no_keys = webpush("https://push.example.net/x");
  no_keys.erase("keys");
  EXPECT_EQ(status(no_keys), 400);
  auto bad_key = webpush("https://push.example.net/x");
  bad_key["keys"] = {{"p256dh", "AAAA"}, {"auth", kAuth}};
  EXPECT_EQ(status(bad_key), 400);
  auto bad_auth = webpush("https://push.example.net/x");
  bad_auth["keys"] = {{"p256dh", kP256dh}, {"auth", "short"}};
  EXPECT_EQ(status(bad_auth), 400);
  EXPECT_EQ(status(webpush("ftp://push.example.net/x")), 400);
  EXPECT_EQ(status(webpush("https://" + std::string(3000, 'a') + "/x")), 400);
  auto long_name = webpush("https://push.example.net/x");
  long_name["name"] = std::string(101, 'n');
  EXPECT_EQ(status(long_name), 400);
  EXPECT_TRUE(http().get("/api/v1/devices", fay.token).json().at("items").as_array().empty());
}

}  // namespace
}  // namespace herald::test
