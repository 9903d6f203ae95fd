// Compact JWS signing (RFC 7515) with ES256 and RS256 on OpenSSL 3, for VAPID, APNs provider
// tokens and Google's OAuth assertions; and the keys they are signed with.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include <openssl/types.h>

namespace herald::delivery {

enum class JwtAlgorithm { es256, rs256 };

// A private key, shared and immutable once loaded: safe to sign with from several threads.
class SigningKey {
 public:
  // PEM text: PKCS#8 ("BEGIN PRIVATE KEY", as Apple's .p8 and Google's service accounts carry
  // it), or the traditional EC and RSA forms. Throws std::runtime_error on anything else: keys
  // are loaded at start-up.
  static SigningKey from_pem(std::string_view pem);
  static SigningKey from_pem_file(const std::filesystem::path& file);
  static SigningKey generate_p256();
  static SigningKey generate_rsa(int bits = 2048);
  // A P-256 key from its 32-byte private scalar (big-endian), as test vectors give it.
  static SigningKey p256_from_private_bytes(std::string_view scalar);

  // ES256 for a P-256 key, RS256 for an RSA key.
  JwtAlgorithm algorithm() const noexcept { return algorithm_; }
  // PKCS#8 PEM of the private key.
  std::string private_key_pem() const;
  // PEM SubjectPublicKeyInfo of the public key.
  std::string public_key_pem() const;
  // P-256 only: the uncompressed point (0x04 || X || Y), 65 bytes.
  std::string public_key_point() const;

  EVP_PKEY* get() const noexcept { return key_.get(); }

 private:
  explicit SigningKey(EVP_PKEY* key);
  std::shared_ptr<EVP_PKEY> key_;
  JwtAlgorithm algorithm_ = JwtAlgorithm::es256;
};

// base64url(header) "." base64url(claims) "." base64url(signature), with the signature by the
// key's algorithm; ES256 signatures are R || S, 32 bytes each (RFC 7518 §3.4), not DER. The
// header and claims are JSON texts the caller wrote; the header's "alg" must match the key.
std::string sign_jwt(const SigningKey& key, std::string_view header_json,
                     std::string_view claims_json);

// The signature alone over `data`, in JWS form (R || S for ES256).
std::string jws_signature(const SigningKey& key, std::string_view data);

}  // namespace herald::delivery
