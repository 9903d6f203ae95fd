// FcmSender against tests/peers/fcm_peer.mjs: Google's token endpoint and the FCM v1 API as a
// Node.js HTTP/2 server over TLS on loopback, verifying the RS256 assertion with jose.
#include <gtest/gtest.h>

#include <fstream>

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include "delivery/push/fcm_sender.hpp"
#include "support/herald_process.hpp"
#include "support/manual_clock.hpp"
#include "support/node_peer.hpp"
#include "support/test_certificate.hpp"

namespace herald::delivery {
namespace {

using namespace std::chrono_literals;

constexpr const char* kProject = "herald-test";
constexpr const char* kClientEmail = "herald@herald-test.iam.gserviceaccount.com";

// One RSA key for the whole suite: generating one takes a while.
const SigningKey& account_key() {
  static const SigningKey key = SigningKey::generate_rsa(2048);
  return key;
}

class FcmPeerTest : public ::testing::Test {
 protected:
  FcmPeerTest() {
    auto certificate = test::make_test_certificate(dir_.path());
    std::ofstream(dir_.path() / "account_public.pem") << account_key().public_key_pem();
    peer_ = std::make_unique<test::NodePeer>(
        "fcm_peer.mjs",
        std::vector<std::string>{"--public-key", (dir_.path() / "account_public.pem").string(),
                                 "--client-email", kClientEmail, "--project", kProject, "--cert",
                                 certificate.cert_file.string(), "--key",
                                 certificate.key_file.string()});
    http_.ca_file = certificate.cert_file.string();
    write_account(account_key(), peer_->origin("https") + "/token");
  }

  void write_account(const SigningKey& key, const std::string& token_uri) {
    boost::json::object account{
        {"type", "service_account"},    {"project_id", kProject},
        {"private_key_id", "k-1"},      {"private_key", key.private_key_pem()},
        {"client_email", kClientEmail}, {"token_uri", token_uri}};
    std::ofstream(dir_.path() / "account.json") << boost::json::serialize(account);
  }

  FcmConfig config() const {
    return {.service_account_file = dir_.path() / "account.json",
            .base_url = peer_->origin("https"),
            .http = http_};
  }

  static Device device(const std::string& token) {
    Device d;
    d.platform = DevicePlatform::fcm;
    d.address = token;
    return d;
  }

  static PushMessage message() {
    PushMessage m;
    m.id = "d3.m8";
    m.title = "Library";
    m.text = "Your book is due tomorrow.";
    m.url = "https://herald.example.org/n/8";
    return m;
  }

  test::TempDir dir_;
  HttpClientOptions http_;
  std::unique_ptr<test::NodePeer> peer_;
};

TEST_F(FcmPeerTest, GetsAnAccessTokenThenSendsTheMessage) {
  SystemClock clock;
  FcmSender fcm(config(), clock);
  Outcome outcome = fcm.send(device("ok-device-1"), message());
  EXPECT_EQ(outcome.verdict, Verdict::sent) << outcome.detail;
  EXPECT_EQ(outcome.detail, "projects/herald-test/messages/1");

  auto grant = peer_->record(0);
  ASSERT_EQ(grant.at("kind").as_string(), "token");
  ASSERT_TRUE(grant.at("error").is_null()) << grant.at("error");
  EXPECT_EQ(grant.at("http").as_string(), "2.0");
  EXPECT_EQ(grant.at("content_type").as_string(), "application/x-www-form-urlencoded");
  EXPECT_EQ(grant.at("kid").as_string(), "k-1");
  EXPECT_EQ(grant.at("claims").at("scope").as_string(),
            "https://www.googleapis.com/auth/firebase.messaging");
  EXPECT_EQ(grant.at("claims").at("aud").as_string(), peer_->origin("https") + "/token");

  auto sent = peer_->record(1);
  ASSERT_EQ(sent.at("kind").as_string(), "send");
  ASSERT_TRUE(sent.at("error").is_null()) << sent.at("error");
  EXPECT_EQ(sent.at("bearer").as_string(), "at-1");
  EXPECT_EQ(sent.at("path").as_string(), "/v1/projects/herald-test/messages:send");
  const auto& body = sent.at("body").at("message");
  EXPECT_EQ(body.at("token").as_string(), "ok-device-1");
  EXPECT_EQ(body.at("notification").at("title").as_string(), "Library");
  EXPECT_EQ(body.at("notification").at("body").as_string(), "Your book is due tomorrow.");
  EXPECT_EQ(body.at("data").at("id").as_string(), "d3.m8");
  EXPECT_EQ(body.at("data").at("url").as_string(), "https://herald.example.org/n/8");
}

TEST_F(FcmPeerTest, KeepsTheAccessTokenUntilFiveMinutesBeforeItExpires) {
  test::ManualClock clock(system_now_ms());
  FcmSender fcm(config(), clock);
  ASSERT_EQ(fcm.send(device("ok-a"), message()).verdict, Verdict::sent);
  clock.advance_ms(54 * 60 * 1000);
  ASSERT_EQ(fcm.send(device("ok-b"), message()).verdict, Verdict::sent);
  clock.advance_ms(2 * 60 * 1000);
  ASSERT_EQ(fcm.send(device("ok-c"), message()).verdict, Verdict::sent);
  std::vector<std::string> seen;
  for (std::size_t i = 0; i < 5; ++i) {
    auto got = peer_->record(i);
    seen.push_back(std::string(got.at("kind").as_string()) + ":" +
                   (got.at("kind") == "send" ? std::string(got.at("bearer").as_string()) : ""));
  }
  EXPECT_EQ(seen,
            (std::vector<std::string>{"token:", "send:at-1", "send:at-1", "token:", "send:at-2"}));
}

TEST_F(FcmPeerTest, RepliesBecomeVerdicts) {
  SystemClock clock;
  FcmSender fcm(config(), clock);
  Outcome gone = fcm.send(device("gone-1"), message());
  EXPECT_EQ(gone.verdict, Verdict::gone);
  EXPECT_NE(gone.detail.find("UNREGISTERED"), std::string::npos) << gone.detail;
  EXPECT_EQ(fcm.send(device("unreg400-1"), message()).verdict, Verdict::gone);
  Outcome busy = fcm.send(device("busy-1"), message());
  EXPECT_EQ(busy.verdict, Verdict::retry);
  EXPECT_EQ(busy.retry_after, 11s);
  EXPECT_EQ(fcm.send(device("down-1"), message()).verdict, Verdict::retry);
  Outcome bad = fcm.send(device("bad-1"), message());
  EXPECT_EQ(bad.verdict, Verdict::failed);
  EXPECT_TRUE(bad.detail.starts_with("HTTP 400: ")) << bad.detail;
  EXPECT_NE(bad.detail.find("INVALID_ARGUMENT"), std::string::npos) << bad.detail;
}

TEST_F(FcmPeerTest, ARefusedAccessTokenIsDroppedAndTheMessageGoesWithANewOne) {
  SystemClock clock;
  FcmSender fcm(config(), clock);
  ASSERT_EQ(fcm.send(device("ok-1"), message()).verdict, Verdict::sent);
  Outcome outcome = fcm.send(device("revoke-1"), message());
  EXPECT_EQ(outcome.verdict, Verdict::sent) << outcome.detail;
  // token, send(at-1), send(at-1) refused, token, send(at-2)
  EXPECT_EQ(peer_->record(2).at("bearer").as_string(), "at-1");
  EXPECT_EQ(peer_->record(3).at("kind").as_string(), "token");
  EXPECT_EQ(peer_->record(4).at("bearer").as_string(), "at-2");
  EXPECT_EQ(fcm.send(device("ok-2"), message()).verdict, Verdict::sent);
  EXPECT_EQ(peer_->record(5).at("bearer").as_string(), "at-2");
}

TEST_F(FcmPeerTest, ARefusedGrantFailsAndAnUnreachableTokenEndpointRetries) {
  SystemClock clock;
  write_account(SigningKey::generate_rsa(2048), peer_->origin("https") + "/token");
  FcmSender wrong_key(config(), clock);
  Outcome refused = wrong_key.send(device("ok-1"), message());
  EXPECT_EQ(refused.verdict, Verdict::failed);
  EXPECT_NE(refused.detail.find("invalid_grant"), std::string::npos) << refused.detail;
  EXPECT_FALSE(peer_->record(0).at("error").is_null());
  EXPECT_EQ(peer_->record_count(), 1u);

  // Port 1 on loopback: nothing listens there.
  write_account(account_key(), "https://127.0.0.1:1/token");
  FcmSender unreachable(config(), clock);
  Outcome later = unreachable.send(device("ok-1"), message());
  EXPECT_EQ(later.verdict, Verdict::retry);
  EXPECT_TRUE(later.detail.starts_with("access token: ")) << later.detail;
}

}  // namespace
}  // namespace herald::delivery
