#include <sys/stat.h>

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include "common/crypto.hpp"
#include "delivery/push/vapid.hpp"
#include "support/herald_process.hpp"
#include "support/manual_clock.hpp"

namespace herald::delivery {
namespace {

using namespace std::chrono_literals;

boost::json::object claims_of(const std::string& header) {
  // "vapid t=<header>.<claims>.<signature>, k=<key>"
  auto t = header.find("t=") + 2;
  auto first = header.find('.', t);
  auto second = header.find('.', first + 1);
  std::string claims;
  EXPECT_TRUE(base64url_decode(header.substr(first + 1, second - first - 1), claims));
  return boost::json::parse(claims).as_object();
}

TEST(Vapid, EndpointOriginIsSchemeHostAndOddPort) {
  EXPECT_EQ(endpoint_origin("https://fcm.googleapis.com/fcm/send/abc:def"),
            "https://fcm.googleapis.com");
  EXPECT_EQ(endpoint_origin("HTTPS://Updates.Push.Services.Mozilla.com:443/wpush/v2/x"),
            "https://updates.push.services.mozilla.com");
  EXPECT_EQ(endpoint_origin("http://127.0.0.1:8443/push?x=1"), "http://127.0.0.1:8443");
  EXPECT_EQ(endpoint_origin("http://[::1]:9000/p"), "http://[::1]:9000");
  EXPECT_EQ(endpoint_origin("https://[::1]/p"), "https://[::1]");
  EXPECT_EQ(endpoint_origin("https://user@push.example/p"), "https://push.example");
  EXPECT_EQ(endpoint_origin("ftp://push.example/p"), "");
  EXPECT_EQ(endpoint_origin("push.example/p"), "");
}

TEST(Vapid, SignsOncePerOriginAndReSignsNearExpiry) {
  test::ManualClock clock;
  VapidSigner signer(SigningKey::generate_p256(), {.subject = "mailto:ops@example.org"}, clock);
  std::string first = signer.authorization("https://push.example.net/send/one");
  ASSERT_TRUE(first.starts_with("vapid t=")) << first;
  EXPECT_TRUE(first.ends_with(", k=" + signer.public_key()));

  auto claims = claims_of(first);
  EXPECT_EQ(claims.at("aud").as_string(), "https://push.example.net");
  EXPECT_EQ(claims.at("sub").as_string(), "mailto:ops@example.org");
  EXPECT_EQ(claims.at("exp").as_int64(), clock.now_ms() / 1000 + 12 * 3600);

  // The same origin, another subscription: the same header, not a new signature.
  EXPECT_EQ(signer.authorization("https://push.example.net/send/two"), first);
  std::string other = signer.authorization("https://other.example.com/x");
  EXPECT_NE(other, first);
  EXPECT_EQ(claims_of(other).at("aud").as_string(), "https://other.example.com");

  // Still more than an hour left after ten hours and 59 minutes: kept.
  clock.advance_ms((10 * 3600 + 59 * 60) * 1000);
  EXPECT_EQ(signer.authorization("https://push.example.net/send/one"), first);
  // Less than an hour left: signed again, with a later expiry.
  clock.advance_ms(2 * 60 * 1000);
  std::string renewed = signer.authorization("https://push.example.net/send/one");
  EXPECT_NE(renewed, first);
  EXPECT_EQ(claims_of(renewed).at("exp").as_int64(), clock.now_ms() / 1000 + 12 * 3600);
  EXPECT_EQ(signer.authorization("https://push.example.net/send/three"), renewed);

  EXPECT_EQ(signer.authorization("not a url"), "");
}

TEST(Vapid, KeyFileIsCreatedOwnerOnlyAndLoadedAgain) {
  test::TempDir dir;
  auto file = dir.path() / "vapid.pem";
  SigningKey created = load_or_create_vapid_key(file);
  struct stat info {};
  ASSERT_EQ(::stat(file.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600);
  SigningKey loaded = load_or_create_vapid_key(file);
  EXPECT_EQ(loaded.public_key_point(), created.public_key_point());

  auto rsa_file = dir.path() / "rsa.pem";
  save_private_key(SigningKey::generate_rsa(2048), rsa_file);
  EXPECT_THROW(load_or_create_vapid_key(rsa_file), std::runtime_error);
  // Never overwrites a key that is there.
  EXPECT_THROW(save_private_key(created, file), std::system_error);
}

}  // namespace
}  // namespace herald::delivery
