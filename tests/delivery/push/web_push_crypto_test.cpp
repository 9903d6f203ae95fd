#include <gtest/gtest.h>

#include "common/crypto.hpp"
#include "delivery/push/web_push_crypto.hpp"

namespace herald::delivery {
namespace {

std::string decoded(std::string_view base64url) {
  std::string bytes;
  EXPECT_TRUE(base64url_decode(base64url, bytes)) << base64url;
  return bytes;
}

// RFC 8291 §5 (Appendix A): the worked example, byte for byte.
constexpr std::string_view kPlaintext = "When I grow up, I want to be a watermelon";
constexpr std::string_view kAuthSecret = "BTBZMqHH6r4Tts7J_aSIgg";
constexpr std::string_view kUaPublic =
    "BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4";
constexpr std::string_view kAsPrivate = "yfWPiYE-n46HLnH0KqZOF1fJJU3MYrct3AELtAQ-oRw";
constexpr std::string_view kAsPublic =
    "BP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmYWAmS6TlzAC8wEqKK6PBru3jl7A8";
constexpr std::string_view kSalt = "DGv6ra1nlYgDCS1FRnbzlw";
constexpr std::string_view kBody =
    "DGv6ra1nlYgDCS1FRnbzlwAAEABBBP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27ml"
    "mlMoZIIgDll6e3vCYLocInmYWAmS6TlzAC8wEqKK6PBru3jl7A_yl95bQpu6cVPT"
    "pK4Mqgkf1CXztLVBSt2Ks3oZwbuwXPXLWyouBWLVWGNWQexSgSxsj_Qulcy4a-fN";

TEST(WebPushCrypto, ReproducesTheRfc8291Example) {
  SigningKey as_key = SigningKey::p256_from_private_bytes(decoded(kAsPrivate));
  ASSERT_EQ(base64url_encode(as_key.public_key_point()), kAsPublic);

  WebPushEncryptor encryptor;
  auto body = encryptor.encrypt_with(kPlaintext, decoded(kUaPublic), decoded(kAuthSecret), as_key,
                                     decoded(kSalt));
  ASSERT_TRUE(body) << body.error().message;
  EXPECT_EQ(base64url_encode(*body), kBody);
}

TEST(WebPushCrypto, EachMessageHasItsOwnKeyAndSalt) {
  WebPushEncryptor encryptor;
  auto first = encryptor.encrypt(kPlaintext, decoded(kUaPublic), decoded(kAuthSecret));
  auto second = encryptor.encrypt(kPlaintext, decoded(kUaPublic), decoded(kAuthSecret));
  ASSERT_TRUE(first && second);
  ASSERT_EQ(first->size(), 86 + kPlaintext.size() + 1 + 16);
  // salt(16) | rs = 4096 | idlen = 65 | an uncompressed point
  EXPECT_EQ(first->substr(16, 5), std::string("\x00\x00\x10\x00\x41", 5));
  EXPECT_EQ((*first)[21], '\x04');
  EXPECT_NE(first->substr(0, 16), second->substr(0, 16));
  EXPECT_NE(first->substr(21, 65), second->substr(21, 65));
  EXPECT_NE(first->substr(86), second->substr(86));
}

TEST(WebPushCrypto, RefusesKeysThatAreNotOnTheCurve) {
  WebPushEncryptor encryptor;
  std::string off_curve = decoded(kUaPublic);
  off_curve[64] = static_cast<char>(off_curve[64] ^ 1);
  auto body = encryptor.encrypt(kPlaintext, off_curve, decoded(kAuthSecret));
  ASSERT_FALSE(body);
  EXPECT_EQ(body.error().code, errc::bad_request);

  auto compressed =
      encryptor.encrypt(kPlaintext, decoded(kUaPublic).substr(0, 33), decoded(kAuthSecret));
  EXPECT_FALSE(compressed);
  auto short_secret = encryptor.encrypt(kPlaintext, decoded(kUaPublic), "short");
  EXPECT_FALSE(short_secret);
  // The encryptor is still usable after refusing.
  EXPECT_TRUE(encryptor.encrypt(kPlaintext, decoded(kUaPublic), decoded(kAuthSecret)));
}

TEST(WebPushCrypto, KeepsTheBodyWithinOneRecordOf4096Bytes) {
  WebPushEncryptor encryptor;
  std::string largest(kWebPushMaxPlaintext, 'x');
  auto body = encryptor.encrypt(largest, decoded(kUaPublic), decoded(kAuthSecret));
  ASSERT_TRUE(body);
  EXPECT_EQ(body->size(), 4096u);
  auto over = encryptor.encrypt(largest + "x", decoded(kUaPublic), decoded(kAuthSecret));
  ASSERT_FALSE(over);
  EXPECT_EQ(over.error().code, errc::too_large);
}

}  // namespace
}  // namespace herald::delivery
