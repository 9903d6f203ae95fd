#include "delivery/push/jwt.hpp"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>

#include <fstream>
#include <sstream>
#include <stdexcept>

#include "common/crypto.hpp"

namespace herald::delivery {
namespace {

template <class T, void (*Free)(T*)>
struct Deleter {
  void operator()(T* p) const noexcept { Free(p); }
};
using Bio = std::unique_ptr<BIO, Deleter<BIO, BIO_free_all>>;
using PkeyCtx = std::unique_ptr<EVP_PKEY_CTX, Deleter<EVP_PKEY_CTX, EVP_PKEY_CTX_free>>;
using MdCtx = std::unique_ptr<EVP_MD_CTX, Deleter<EVP_MD_CTX, EVP_MD_CTX_free>>;
using EcdsaSig = std::unique_ptr<ECDSA_SIG, Deleter<ECDSA_SIG, ECDSA_SIG_free>>;
using Bignum = std::unique_ptr<BIGNUM, Deleter<BIGNUM, BN_free>>;
using ParamBuilder = std::unique_ptr<OSSL_PARAM_BLD, Deleter<OSSL_PARAM_BLD, OSSL_PARAM_BLD_free>>;
using Params = std::unique_ptr<OSSL_PARAM, Deleter<OSSL_PARAM, OSSL_PARAM_free>>;

[[noreturn]] void fail(const char* what) {
  throw std::runtime_error(std::string("signing key: ") + what);
}

std::string bio_text(BIO* bio) {
  char* data = nullptr;
  long size = BIO_get_mem_data(bio, &data);
  return std::string(data, static_cast<std::size_t>(size));
}

// DER ECDSA-Sig-Value -> R || S, each left-padded to 32 bytes.
std::string der_to_jose(const unsigned char* der, std::size_t size) {
  EcdsaSig sig(d2i_ECDSA_SIG(nullptr, &der, static_cast<long>(size)));
  if (!sig) fail("cannot parse an ECDSA signature");
  const BIGNUM* r = nullptr;
  const BIGNUM* s = nullptr;
  ECDSA_SIG_get0(sig.get(), &r, &s);
  std::string out(64, '\0');
  auto* bytes = reinterpret_cast<unsigned char*>(out.data());
  if (BN_bn2binpad(r, bytes, 32) != 32 || BN_bn2binpad(s, bytes + 32, 32) != 32) {
    fail("ECDSA signature out of range");
  }
  return out;
}

}  // namespace

SigningKey::SigningKey(EVP_PKEY* key) : key_(key, EVP_PKEY_free) {
  if (!key) fail("no key");
  if (EVP_PKEY_is_a(key, "EC")) {
    char group[32] = {};
    std::size_t length = 0;
    if (EVP_PKEY_get_utf8_string_param(key, OSSL_PKEY_PARAM_GROUP_NAME, group, sizeof group,
                                       &length) != 1 ||
        std::string_view(group) != "prime256v1") {
      fail("an EC key must be on P-256 for ES256");
    }
    algorithm_ = JwtAlgorithm::es256;
  } else if (EVP_PKEY_is_a(key, "RSA")) {
    if (EVP_PKEY_get_bits(key) < 2048) fail("an RSA key needs at least 2048 bits");
    algorithm_ = JwtAlgorithm::rs256;
  } else {
    fail("neither a P-256 nor an RSA key");
  }
}

SigningKey SigningKey::from_pem(std::string_view pem) {
  Bio bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  if (!bio) fail("out of memory");
  EVP_PKEY* key = PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr);
  if (!key) fail("not a PEM private key");
  return SigningKey(key);
}

SigningKey SigningKey::from_pem_file(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read key file " + file.string());
  std::ostringstream text;
  text << in.rdbuf();
  return from_pem(text.str());
}

SigningKey SigningKey::generate_p256() {
  EVP_PKEY* key = EVP_EC_gen("P-256");
  if (!key) fail("cannot generate a P-256 key");
  return SigningKey(key);
}

SigningKey SigningKey::generate_rsa(int bits) {
  EVP_PKEY* key = EVP_RSA_gen(static_cast<unsigned>(bits));
  if (!key) fail("cannot generate an RSA key");
  return SigningKey(key);
}

SigningKey SigningKey::p256_from_private_bytes(std::string_view scalar) {
  if (scalar.size() != 32) fail("a P-256 private key is 32 bytes");
  Bignum d(BN_bin2bn(reinterpret_cast<const unsigned char*>(scalar.data()), 32, nullptr));
  // The public point is part of an EC key's data in OpenSSL 3: compute it from the scalar.
  EC_GROUP* group = EC_GROUP_new_by_curve_name(NID_X9_62_prime256v1);
  EC_POINT* point = group ? EC_POINT_new(group) : nullptr;
  unsigned char public_point[65];
  bool computed = point && d &&
                  EC_POINT_mul(group, point, d.get(), nullptr, nullptr, nullptr) == 1 &&
                  EC_POINT_point2oct(group, point, POINT_CONVERSION_UNCOMPRESSED, public_point,
                                     sizeof public_point, nullptr) == sizeof public_point;
  EC_POINT_free(point);
  EC_GROUP_free(group);
  if (!computed) fail("invalid P-256 private key");

  ParamBuilder builder(OSSL_PARAM_BLD_new());
  if (!builder ||
      !OSSL_PARAM_BLD_push_utf8_string(builder.get(), OSSL_PKEY_PARAM_GROUP_NAME, "prime256v1",
                                       0) ||
      !OSSL_PARAM_BLD_push_BN(builder.get(), OSSL_PKEY_PARAM_PRIV_KEY, d.get()) ||
      !OSSL_PARAM_BLD_push_octet_string(builder.get(), OSSL_PKEY_PARAM_PUB_KEY, public_point,
                                        sizeof public_point)) {
    fail("out of memory");
  }
  Params params(OSSL_PARAM_BLD_to_param(builder.get()));
  PkeyCtx ctx(EVP_PKEY_CTX_new_from_name(nullptr, "EC", nullptr));
  EVP_PKEY* key = nullptr;
  if (!params || !ctx || EVP_PKEY_fromdata_init(ctx.get()) != 1 ||
      EVP_PKEY_fromdata(ctx.get(), &key, EVP_PKEY_KEYPAIR, params.get()) != 1) {
    fail("cannot build a P-256 key");
  }
  return SigningKey(key);
}

std::string SigningKey::private_key_pem() const {
  Bio bio(BIO_new(BIO_s_mem()));
  if (!bio ||
      PEM_write_bio_PrivateKey(bio.get(), key_.get(), nullptr, nullptr, 0, nullptr, nullptr) != 1) {
    fail("cannot write the private key");
  }
  return bio_text(bio.get());
}

std::string SigningKey::public_key_pem() const {
  Bio bio(BIO_new(BIO_s_mem()));
  if (!bio || PEM_write_bio_PUBKEY(bio.get(), key_.get()) != 1) {
    fail("cannot write the public key");
  }
  return bio_text(bio.get());
}

std::string SigningKey::public_key_point() const {
  if (algorithm_ != JwtAlgorithm::es256) fail("not an EC key");
  std::string point(65, '\0');
  std::size_t length = 0;
  if (EVP_PKEY_get_octet_string_param(key_.get(), OSSL_PKEY_PARAM_ENCODED_PUBLIC_KEY,
                                      reinterpret_cast<unsigned char*>(point.data()), point.size(),
                                      &length) != 1 ||
      length != 65) {
    fail("cannot encode the public key");
  }
  return point;
}

std::string jws_signature(const SigningKey& key, std::string_view data) {
  MdCtx ctx(EVP_MD_CTX_new());
  if (!ctx || EVP_DigestSignInit_ex(ctx.get(), nullptr, "SHA256", nullptr, nullptr, key.get(),
                                    nullptr) != 1) {
    fail("cannot start signing");
  }
  std::size_t size = 0;
  const auto* bytes = reinterpret_cast<const unsigned char*>(data.data());
  if (EVP_DigestSign(ctx.get(), nullptr, &size, bytes, data.size()) != 1) fail("cannot sign");
  std::string signature(size, '\0');
  auto* out = reinterpret_cast<unsigned char*>(signature.data());
  if (EVP_DigestSign(ctx.get(), out, &size, bytes, data.size()) != 1) fail("cannot sign");
  signature.resize(size);
  if (key.algorithm() == JwtAlgorithm::es256) return der_to_jose(out, size);
  return signature;
}

std::string sign_jwt(const SigningKey& key, std::string_view header_json,
                     std::string_view claims_json) {
  std::string token = base64url_encode(header_json);
  token += '.';
  token += base64url_encode(claims_json);
  std::string signature = jws_signature(key, token);
  token += '.';
  token += base64url_encode(signature);
  return token;
}

}  // namespace herald::delivery
