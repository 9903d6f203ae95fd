#include <gtest/gtest.h>

#include "common/crypto.hpp"
#include "common/time.hpp"
#include "common/utf8.hpp"

namespace herald {
namespace {

TEST(Utf8, AcceptsWellFormedText) {
  EXPECT_TRUE(is_valid_utf8(""));
  EXPECT_TRUE(is_valid_utf8("plain ascii"));
  EXPECT_TRUE(is_valid_utf8("\xC3\xA9l\xC3\xA8ve"));  // élève
  EXPECT_TRUE(is_valid_utf8("\xF0\x9F\x93\xA8"));     // U+1F4E8
  EXPECT_TRUE(is_valid_utf8("\xF4\x8F\xBF\xBF"));     // U+10FFFF
}

TEST(Utf8, RejectsMalformedText) {
  EXPECT_FALSE(is_valid_utf8("\xC3"));              // truncated
  EXPECT_FALSE(is_valid_utf8("\xC0\xAF"));          // overlong '/'
  EXPECT_FALSE(is_valid_utf8("\xED\xA0\x80"));      // surrogate
  EXPECT_FALSE(is_valid_utf8("\xF4\x90\x80\x80"));  // above U+10FFFF
  EXPECT_FALSE(is_valid_utf8("\xFF"));
  EXPECT_FALSE(is_valid_utf8("ok\x80"));
}

TEST(Crypto, Base64UrlRoundTrips) {
  init_crypto();
  for (std::size_t n : {0u, 1u, 2u, 3u, 31u, 32u}) {
    std::string bytes = random_bytes(n);
    std::string decoded;
    ASSERT_TRUE(base64url_decode(base64url_encode(bytes), decoded));
    EXPECT_EQ(decoded, bytes);
  }
  std::string ignored;
  EXPECT_FALSE(base64url_decode("not base64!", ignored));
}

TEST(Crypto, TokensCarry256BitsAndDiffer) {
  init_crypto();
  std::string a = random_token(32);
  std::string b = random_token(32);
  EXPECT_EQ(a.size(), 43u);  // 32 bytes in unpadded base64url
  EXPECT_NE(a, b);
}

TEST(Crypto, Sha256MatchesTheStandardVector) {
  EXPECT_EQ(to_hex(sha256("abc")),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(Time, FormatsRfc3339InUtc) {
  EXPECT_EQ(format_rfc3339(0), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(format_rfc3339(1'795'000'000'123), "2026-11-18T11:06:40.123Z");
}

}  // namespace
}  // namespace herald
