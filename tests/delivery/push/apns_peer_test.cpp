// ApnsSender against tests/peers/apns_peer.mjs: Apple's provider API as a Node.js HTTP/2 server
// over TLS on loopback, verifying the provider token with jose.
#include <gtest/gtest.h>

#include <fstream>

#include "common/crypto.hpp"
#include "delivery/push/apns_sender.hpp"
#include "support/herald_process.hpp"
#include "support/manual_clock.hpp"
#include "support/node_peer.hpp"
#include "support/test_certificate.hpp"

namespace herald::delivery {
namespace {

using namespace std::chrono_literals;

constexpr const char* kKeyId = "K3Y1D2345X";
constexpr const char* kTeamId = "T3AM123456";
constexpr const char* kTopic = "org.example.herald";

class ApnsPeerTest : public ::testing::Test {
 protected:
  void start_peer(std::vector<std::string> extra = {}) {
    auto certificate = test::make_test_certificate(dir_.path());
    std::ofstream(dir_.path() / "apns_public.pem") << key_.public_key_pem();
    std::vector<std::string> args{"--key-file", (dir_.path() / "apns_public.pem").string(),
                                  "--key-id",   kKeyId,
                                  "--team",     kTeamId,
                                  "--topic",    kTopic,
                                  "--cert",     certificate.cert_file.string(),
                                  "--key",      certificate.key_file.string()};
    args.insert(args.end(), extra.begin(), extra.end());
    peer_ = std::make_unique<test::NodePeer>("apns_peer.mjs", args);
    config_.key_id = kKeyId;
    config_.team_id = kTeamId;
    config_.topic = kTopic;
    config_.base_url = peer_->origin("https");
    config_.http.ca_file = certificate.cert_file.string();
  }

  static Device device(const std::string& prefix) {
    Device d;
    d.platform = DevicePlatform::apns;
    d.address = prefix + std::string(62, 'a');
    return d;
  }

  static PushMessage message() {
    PushMessage m;
    m.id = "d9.m31";
    m.title = "Fire drill";
    m.text = "At 10:00, assemble in the yard.";
    m.url = "https://herald.example.org/n/31";
    m.ttl_seconds = 600;
    m.urgency = "high";
    return m;
  }

  test::TempDir dir_;
  SigningKey key_ = SigningKey::generate_p256();
  ApnsConfig config_;
  std::unique_ptr<test::NodePeer> peer_;
};

TEST_F(ApnsPeerTest, DeliversAnAlertWithATokenThePeerVerifies) {
  start_peer();
  SystemClock clock;
  ApnsSender apns(config_, key_, clock);
  Outcome outcome = apns.send(device("00"), message());
  EXPECT_EQ(outcome.verdict, Verdict::sent) << outcome.detail;
  EXPECT_EQ(outcome.detail, apns_id_for("d9.m31"));

  auto got = peer_->record(0);
  ASSERT_TRUE(got.at("error").is_null()) << got.at("error");
  EXPECT_EQ(got.at("http").as_string(), "2.0");
  EXPECT_EQ(got.at("path").as_string(), "/3/device/00" + std::string(62, 'a'));
  EXPECT_EQ(got.at("topic").as_string(), kTopic);
  EXPECT_EQ(got.at("push_type").as_string(), "alert");
  EXPECT_EQ(got.at("apns_id").as_string(), apns_id_for("d9.m31"));
  EXPECT_EQ(got.at("priority").as_string(), "10");
  std::int64_t expiration = std::stoll(std::string(got.at("expiration").as_string()));
  EXPECT_NEAR(static_cast<double>(expiration), clock.now_ms() / 1000 + 600, 5);
  EXPECT_EQ(got.at("jwt").at("kid").as_string(), kKeyId);
  EXPECT_EQ(got.at("jwt").at("iss").as_string(), kTeamId);
  const auto& body = got.at("body");
  EXPECT_EQ(body.at("aps").at("alert").at("title").as_string(), "Fire drill");
  EXPECT_EQ(body.at("aps").at("alert").at("body").as_string(), "At 10:00, assemble in the yard.");
  EXPECT_EQ(body.at("url").as_string(), "https://herald.example.org/n/31");
  EXPECT_EQ(body.at("id").as_string(), "d9.m31");

  // Normal urgency, no TTL, no URL.
  PushMessage plain = message();
  plain.urgency = "normal";
  plain.ttl_seconds = 0;
  plain.url.reset();
  ASSERT_EQ(apns.send(device("00"), plain).verdict, Verdict::sent);
  auto second = peer_->record(1);
  EXPECT_EQ(second.at("priority").as_string(), "5");
  EXPECT_EQ(second.at("expiration").as_string(), "0");
  EXPECT_FALSE(second.at("body").as_object().contains("url"));
  // One provider token for both.
  EXPECT_EQ(second.at("token_tail"), got.at("token_tail"));
}

TEST_F(ApnsPeerTest, RepliesBecomeVerdicts) {
  start_peer();
  SystemClock clock;
  ApnsSender apns(config_, key_, clock);
  Outcome unregistered = apns.send(device("41"), message());
  EXPECT_EQ(unregistered.verdict, Verdict::gone);
  EXPECT_EQ(unregistered.detail, "HTTP 410 Unregistered");
  Outcome bad_token = apns.send(device("40"), message());
  EXPECT_EQ(bad_token.verdict, Verdict::gone);
  EXPECT_EQ(bad_token.detail, "HTTP 400 BadDeviceToken");
  EXPECT_EQ(apns.send(device("43"), message()).verdict, Verdict::gone);
  Outcome refused = apns.send(device("44"), message());
  EXPECT_EQ(refused.verdict, Verdict::failed);
  EXPECT_EQ(refused.detail, "HTTP 400 BadExpirationDate");
  EXPECT_EQ(apns.send(device("42"), message()).verdict, Verdict::retry);
  EXPECT_EQ(apns.send(device("50"), message()).verdict, Verdict::retry);
  for (std::size_t i = 0; i < 6; ++i) EXPECT_TRUE(peer_->record(i).at("error").is_null());
}

TEST_F(ApnsPeerTest, ProviderTokenIsReusedThenRenewedAfterFiftyMinutes) {
  start_peer();
  // Starts 55 minutes in the past, so that every token stays under the peer's hour.
  test::ManualClock clock(system_now_ms() - 55 * 60 * 1000);
  ApnsSender apns(config_, key_, clock);
  ASSERT_EQ(apns.send(device("00"), message()).verdict, Verdict::sent);
  clock.advance_ms(49 * 60 * 1000);
  ASSERT_EQ(apns.send(device("00"), message()).verdict, Verdict::sent);
  clock.advance_ms(2 * 60 * 1000);
  ASSERT_EQ(apns.send(device("00"), message()).verdict, Verdict::sent);
  auto first = peer_->record(0), second = peer_->record(1), third = peer_->record(2);
  EXPECT_EQ(first.at("token_tail"), second.at("token_tail"));
  EXPECT_EQ(first.at("jwt").at("iat"), second.at("jwt").at("iat"));
  EXPECT_NE(third.at("token_tail"), second.at("token_tail"));
  EXPECT_EQ(third.at("jwt").at("iat").as_int64(), first.at("jwt").at("iat").as_int64() + 51 * 60);
}

TEST_F(ApnsPeerTest, AnExpiredProviderTokenIsSignedAgainOnceThenRetriedLater) {
  start_peer({"--max-token-age", "600"});
  // Twenty minutes slow: APNs finds every token this sender signs too old.
  test::ManualClock clock(system_now_ms() - 20 * 60 * 1000);
  ApnsSender apns(config_, key_, clock);
  Outcome outcome = apns.send(device("00"), message());
  EXPECT_EQ(outcome.verdict, Verdict::retry);
  EXPECT_EQ(outcome.detail, "HTTP 403 ExpiredProviderToken");
  EXPECT_NE(peer_->record(0).at("token_tail"), peer_->record(1).at("token_tail"));
  EXPECT_EQ(peer_->record_count(), 2u);
}
}  // namespace
}  // namespace herald::delivery
