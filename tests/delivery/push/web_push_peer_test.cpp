// WebPushSender against tests/peers/web_push_peer.mjs: a push service over HTTP/2 (TLS on
// loopback, or h2c) that verifies the VAPID token with jose and decrypts with http_ece, the
// npm web-push package's own implementation, independently of our code.
#include <gtest/gtest.h>

#include <fstream>

#include <boost/json/parse.hpp>

#include "common/crypto.hpp"
#include "delivery/push/web_push_sender.hpp"
#include "support/herald_process.hpp"
#include "support/node_peer.hpp"
#include "support/test_certificate.hpp"

namespace herald::delivery {
namespace {

using namespace std::chrono_literals;

constexpr const char* kSubject = "mailto:push-ops@example.org";

class WebPushPeerTest : public ::testing::Test {
 protected:
  explicit WebPushPeerTest(bool tls = true) {
    init_crypto();
    SigningKey browser_key = SigningKey::generate_p256();
    std::ofstream(dir_.path() / "browser.pem") << browser_key.private_key_pem();
    auth_secret_ = base64url_encode(random_bytes(16));
    p256dh_ = base64url_encode(browser_key.public_key_point());
    std::vector<std::string> args{"--ua-key",  (dir_.path() / "browser.pem").string(),
                                  "--auth",    auth_secret_,
                                  "--subject", kSubject};
    if (tls) {
      auto certificate = test::make_test_certificate(dir_.path());
      args.insert(args.end(), {"--cert", certificate.cert_file.string(), "--key",
                               certificate.key_file.string()});
      http_.ca_file = certificate.cert_file.string();
    } else {
      http_.h2c_prior_knowledge = true;
    }
    scheme_ = tls ? "https" : "http";
    peer_ = std::make_unique<test::NodePeer>("web_push_peer.mjs", args);
  }

  Device device(const std::string& behaviour) const {
    Device d;
    d.id = 7;
    d.platform = DevicePlatform::webpush;
    d.address = origin() + "/push/" + behaviour;
    d.p256dh = p256dh_;
    d.auth = auth_secret_;
    return d;
  }

  std::string origin() const { return peer_->origin(scheme_); }

  WebPushSender sender(std::chrono::milliseconds timeout = 5s) {
    HttpClientOptions http = http_;
    http.total_timeout = timeout;
    return WebPushSender(vapid_key_, kSubject, http, clock_);
  }

  static PushMessage message() {
    PushMessage m;
    m.id = "d42.m17";
    m.title = "Staff meeting";
    m.text = "Moved to room 204 \xE2\x80\x94 15:30";
    m.url = "https://herald.example.org/n/17";
    m.ttl_seconds = 3600;
    m.urgency = "high";
    return m;
  }

  test::TempDir dir_;
  SystemClock clock_;
  SigningKey vapid_key_ = SigningKey::generate_p256();
  std::string p256dh_, auth_secret_;
  HttpClientOptions http_;
  const char* scheme_ = "https";
  std::unique_ptr<test::NodePeer> peer_;
};

class WebPushH2cPeerTest : public WebPushPeerTest {
 protected:
  WebPushH2cPeerTest() : WebPushPeerTest(false) {}
};

TEST_F(WebPushPeerTest, PeerDecryptsThePayloadAndAcceptsTheVapidToken) {
  auto web_push = sender();
  Outcome outcome = web_push.send(device("ok"), message());
  EXPECT_EQ(outcome.verdict, Verdict::sent) << outcome.detail;
  EXPECT_TRUE(outcome.detail.starts_with(origin() + "/message/")) << outcome.detail;

  auto got = peer_->record(0);
  ASSERT_TRUE(got.at("error").is_null()) << got.at("error");
  EXPECT_EQ(got.at("method").as_string(), "POST");
  EXPECT_EQ(got.at("path").as_string(), "/push/ok");
  EXPECT_EQ(got.at("http").as_string(), "2.0");
  EXPECT_EQ(got.at("ttl").as_string(), "3600");
  EXPECT_EQ(got.at("urgency").as_string(), "high");
  EXPECT_EQ(got.at("content_encoding").as_string(), "aes128gcm");
  EXPECT_EQ(got.at("content_type").as_string(), "application/octet-stream");
  EXPECT_EQ(boost::json::parse(got.at("payload").as_string()),
            boost::json::parse(R"({"id":"d42.m17","title":"Staff meeting",)"
                               R"("text":"Moved to room 204 \u2014 15:30",)"
                               R"("url":"https://herald.example.org/n/17"})"));
  const auto& vapid = got.at("vapid").as_object();
  EXPECT_EQ(vapid.at("aud").as_string(), origin());
  EXPECT_EQ(vapid.at("sub").as_string(), kSubject);
  EXPECT_EQ(vapid.at("k").as_string(), web_push.public_key());
  std::int64_t now_s = clock_.now_ms() / 1000;
  EXPECT_NEAR(static_cast<double>(vapid.at("exp").as_int64()), now_s + 12 * 3600, 60);
}

TEST_F(WebPushPeerTest, EveryMessageIsEncryptedAfreshUnderOneCachedToken) {
  auto web_push = sender();
  PushMessage m = message();
  m.url.reset();
  m.ttl_seconds = 0;
  m.urgency = "not-an-urgency";
  for (int i = 0; i < 2; ++i) {
    Outcome outcome = web_push.send(device("ok"), m);
    ASSERT_EQ(outcome.verdict, Verdict::sent) << outcome.detail;
  }
  auto first = peer_->record(0);
  auto second = peer_->record(1);
  ASSERT_TRUE(first.at("error").is_null() && second.at("error").is_null());
  // The same plaintext, with no url, under different ephemeral keys and salts.
  auto payload = boost::json::parse(first.at("payload").as_string()).as_object();
  EXPECT_EQ(payload.size(), 3u);
  EXPECT_FALSE(payload.contains("url"));
  EXPECT_EQ(first.at("payload"), second.at("payload"));
  EXPECT_NE(first.at("keyid"), second.at("keyid"));
  EXPECT_NE(first.at("salt"), second.at("salt"));
  EXPECT_EQ(first.at("ttl").as_string(), "0");
  EXPECT_EQ(first.at("urgency").as_string(), "normal");
  // One connection and one VAPID signature for both.
  EXPECT_EQ(first.at("connection"), second.at("connection"));
  EXPECT_EQ(first.at("vapid").at("t"), second.at("vapid").at("t"));
}

TEST_F(WebPushPeerTest, RepliesBecomeVerdicts) {
  auto web_push = sender();
  Outcome gone = web_push.send(device("gone"), message());
  EXPECT_EQ(gone.verdict, Verdict::gone);
  EXPECT_TRUE(gone.detail.starts_with("HTTP 410")) << gone.detail;

  Outcome busy = web_push.send(device("busy"), message());
  EXPECT_EQ(busy.verdict, Verdict::retry) << busy.detail;
  EXPECT_EQ(busy.retry_after, 17s);

  Outcome down = web_push.send(device("down"), message());
  EXPECT_EQ(down.verdict, Verdict::retry);
  ASSERT_TRUE(down.retry_after.has_value());
  EXPECT_GE(down.retry_after->count(), 100);
  EXPECT_LE(down.retry_after->count(), 121);

  Outcome broken = web_push.send(device("error"), message());
  EXPECT_EQ(broken.verdict, Verdict::retry);
  EXPECT_FALSE(broken.retry_after.has_value());

  Outcome refused = web_push.send(device("refuse"), message());
  EXPECT_EQ(refused.verdict, Verdict::failed);
  EXPECT_TRUE(refused.detail.starts_with("HTTP 400: {")) << refused.detail;

  // Every one of them was a well-formed push the peer could read.
  for (std::size_t i = 0; i < 5; ++i) EXPECT_TRUE(peer_->record(i).at("error").is_null());
}

TEST_F(WebPushPeerTest, AStalledServiceTimesOutAsARetryAndTheSenderGoesOn) {
  auto web_push = sender(300ms);
  auto started = std::chrono::steady_clock::now();
  Outcome stalled = web_push.send(device("stall"), message());
  auto took = std::chrono::steady_clock::now() - started;
  EXPECT_EQ(stalled.verdict, Verdict::retry);
  EXPECT_TRUE(stalled.detail.starts_with("timed out")) << stalled.detail;
  EXPECT_LT(took, 5s);
  Outcome after = web_push.send(device("ok"), message());
  EXPECT_EQ(after.verdict, Verdict::sent) << after.detail;
}

TEST_F(WebPushPeerTest, UnusableSubscriptionsFailWithoutAnyRequest) {
  auto web_push = sender();
  Device bad_key = device("ok");
  bad_key.p256dh = base64url_encode(std::string(65, '\x04'));
  Outcome outcome = web_push.send(bad_key, message());
  EXPECT_EQ(outcome.verdict, Verdict::failed);
  EXPECT_NE(outcome.detail.find("P-256"), std::string::npos) << outcome.detail;

  Device bad_endpoint = device("ok");
  bad_endpoint.address = "mailto:someone@example.org";
  EXPECT_EQ(web_push.send(bad_endpoint, message()).verdict, Verdict::failed);

  // A request that did go out is the only record the peer has.
  ASSERT_EQ(web_push.send(device("ok"), message()).verdict, Verdict::sent);
  EXPECT_EQ(peer_->record(0).at("path").as_string(), "/push/ok");
  EXPECT_EQ(peer_->record_count(), 1u);
}

TEST_F(WebPushPeerTest, KeyFileConfigurationKeepsOneKeyAcrossSenders) {
  WebPushConfig config{
      .vapid_key_file = dir_.path() / "vapid.pem", .subject = kSubject, .http = http_};
  WebPushSender first(config, clock_);
  WebPushSender second(config, clock_);
  EXPECT_EQ(first.public_key(), second.public_key());
  EXPECT_EQ(second.send(device("ok"), message()).verdict, Verdict::sent);
  EXPECT_EQ(peer_->record(0).at("vapid").at("k").as_string(), first.public_key());
}

TEST_F(WebPushH2cPeerTest, SpeaksHttp2WithPriorKnowledgeToPlainHttpServices) {
  auto web_push = sender();
  for (int i = 0; i < 2; ++i) {
    Outcome outcome = web_push.send(device("ok"), message());
    EXPECT_EQ(outcome.verdict, Verdict::sent) << outcome.detail;
  }
  for (std::size_t i = 0; i < 2; ++i) {
    auto got = peer_->record(i);
    EXPECT_TRUE(got.at("error").is_null()) << got.at("error");
    EXPECT_EQ(got.at("http").as_string(), "2.0");
    EXPECT_EQ(got.at("vapid").at("aud").as_string(), origin());
  }
}

}  // namespace
}  // namespace herald::delivery
