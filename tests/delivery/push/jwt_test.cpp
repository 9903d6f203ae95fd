#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include "common/crypto.hpp"
#include "delivery/push/jwt.hpp"

namespace herald::delivery {
namespace {

struct Parts {
  std::string header, claims, signature, signed_text;
};

Parts split(const std::string& token) {
  auto first = token.find('.');
  auto second = token.find('.', first + 1);
  EXPECT_NE(second, std::string::npos);
  EXPECT_EQ(token.find('.', second + 1), std::string::npos);
  Parts parts;
  EXPECT_TRUE(base64url_decode(token.substr(0, first), parts.header));
  EXPECT_TRUE(base64url_decode(token.substr(first + 1, second - first - 1), parts.claims));
  EXPECT_TRUE(base64url_decode(token.substr(second + 1), parts.signature));
  parts.signed_text = token.substr(0, second);
  return parts;
}

// Verifies with OpenSSL against the public key alone, read back from its PEM.
bool verify(const std::string& public_pem, const Parts& parts, bool es256) {
  BIO* bio = BIO_new_mem_buf(public_pem.data(), static_cast<int>(public_pem.size()));
  EVP_PKEY* key = PEM_read_bio_PUBKEY(bio, nullptr, nullptr, nullptr);
  BIO_free(bio);
  if (!key) return false;
  std::string signature = parts.signature;
  if (es256) {
    // JOSE's R || S back to the DER that OpenSSL verifies.
    if (signature.size() != 64) {
      EVP_PKEY_free(key);
      return false;
    }
    auto* raw = reinterpret_cast<const unsigned char*>(signature.data());
    ECDSA_SIG* sig = ECDSA_SIG_new();
    ECDSA_SIG_set0(sig, BN_bin2bn(raw, 32, nullptr), BN_bin2bn(raw + 32, 32, nullptr));
    unsigned char* der = nullptr;
    int size = i2d_ECDSA_SIG(sig, &der);
    signature.assign(reinterpret_cast<char*>(der), static_cast<std::size_t>(size));
    OPENSSL_free(der);
    ECDSA_SIG_free(sig);
  }
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  bool ok = EVP_DigestVerifyInit(ctx, nullptr, EVP_sha256(), nullptr, key) == 1 &&
            EVP_DigestVerify(ctx, reinterpret_cast<const unsigned char*>(signature.data()),
                             signature.size(),
                             reinterpret_cast<const unsigned char*>(parts.signed_text.data()),
                             parts.signed_text.size()) == 1;
  EVP_MD_CTX_free(ctx);
  EVP_PKEY_free(key);
  return ok;
}

TEST(Jwt, Es256SignsWithRawRAndSThatOpenSslVerifies) {
  SigningKey key = SigningKey::generate_p256();
  ASSERT_EQ(key.algorithm(), JwtAlgorithm::es256);
  std::string token = sign_jwt(key, R"({"alg":"ES256","kid":"ABC123DEFG"})",
                               R"({"iss":"TEAM123456","iat":1700000000})");
  Parts parts = split(token);
  EXPECT_EQ(parts.header, R"({"alg":"ES256","kid":"ABC123DEFG"})");
  EXPECT_EQ(boost::json::parse(parts.claims).at("iss").as_string(), "TEAM123456");
  EXPECT_EQ(parts.signature.size(), 64u);
  EXPECT_TRUE(verify(key.public_key_pem(), parts, true));

  Parts tampered = parts;
  tampered.signed_text.back() ^= 1;
  EXPECT_FALSE(verify(key.public_key_pem(), tampered, true));
  EXPECT_FALSE(verify(SigningKey::generate_p256().public_key_pem(), parts, true));
}

TEST(Jwt, Rs256SignsWithPkcs1V15ThatOpenSslVerifies) {
  SigningKey key = SigningKey::generate_rsa(2048);
  ASSERT_EQ(key.algorithm(), JwtAlgorithm::rs256);
  std::string token = sign_jwt(key, R"({"alg":"RS256","typ":"JWT"})", R"({"iss":"a@b.c"})");
  Parts parts = split(token);
  EXPECT_EQ(parts.signature.size(), 256u);
  EXPECT_TRUE(verify(key.public_key_pem(), parts, false));
  Parts tampered = parts;
  tampered.signature[10] ^= 1;
  EXPECT_FALSE(verify(key.public_key_pem(), tampered, false));
}

TEST(Jwt, KeysRoundTripThroughPkcs8Pem) {
  SigningKey key = SigningKey::generate_p256();
  std::string pem = key.private_key_pem();
  EXPECT_NE(pem.find("-----BEGIN PRIVATE KEY-----"), std::string::npos);
  SigningKey loaded = SigningKey::from_pem(pem);
  EXPECT_EQ(loaded.public_key_point(), key.public_key_point());
  std::string token = sign_jwt(loaded, R"({"alg":"ES256"})", "{}");
  EXPECT_TRUE(verify(key.public_key_pem(), split(token), true));

  EXPECT_THROW(SigningKey::from_pem("not a key"), std::runtime_error);
  // A P-384 key cannot sign ES256.
  EVP_PKEY* p384 = EVP_EC_gen("P-384");
  BIO* bio = BIO_new(BIO_s_mem());
  PEM_write_bio_PrivateKey(bio, p384, nullptr, nullptr, 0, nullptr, nullptr);
  char* data = nullptr;
  long size = BIO_get_mem_data(bio, &data);
  std::string p384_pem(data, static_cast<std::size_t>(size));
  BIO_free(bio);
  EVP_PKEY_free(p384);
  EXPECT_THROW(SigningKey::from_pem(p384_pem), std::runtime_error);
}

}  // namespace
}  // namespace herald::delivery
