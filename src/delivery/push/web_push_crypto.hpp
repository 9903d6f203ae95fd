// RFC 8291 message encryption for Web Push: the "aes128gcm" content coding of RFC 8188 in a
// single record, keyed by ECDH between a fresh P-256 key per message and the subscription's key.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

#include "common/result.hpp"
#include "delivery/push/jwt.hpp"

namespace herald::delivery {

// A body of salt(16) | rs(4) | idlen(1) | key(65) | plaintext | 0x02 | tag(16) stays within the
// 4096 bytes every push service must accept (RFC 8030 §7.2).
inline constexpr std::size_t kWebPushMaxPlaintext = 4096 - 86 - 1 - 16;

// Keeps the OpenSSL objects every message needs (the P-256 parameters, the key generator, the
// HMAC and AES-GCM contexts), so that a message costs a key pair, an ECDH and no set-up. Not
// thread-safe: one per worker thread.
class WebPushEncryptor {
 public:
  WebPushEncryptor();
  ~WebPushEncryptor();
  WebPushEncryptor(const WebPushEncryptor&) = delete;
  WebPushEncryptor& operator=(const WebPushEncryptor&) = delete;

  // The aes128gcm body for a subscription: `ua_public` is its p256dh key (the 65-byte
  // uncompressed point), `auth_secret` its 16-byte secret, both decoded. bad_request when a key
  // is malformed or not on the curve; too_large past kWebPushMaxPlaintext.
  Result<std::string> encrypt(std::string_view plaintext, std::string_view ua_public,
                              std::string_view auth_secret);

  // The same with a chosen ephemeral key and salt, for reproducing published examples. Never
  // reuse either for real messages.
  Result<std::string> encrypt_with(std::string_view plaintext, std::string_view ua_public,
                                   std::string_view auth_secret, const SigningKey& ephemeral,
                                   std::string_view salt);

 private:
  struct State;
  Result<std::string> seal(std::string_view plaintext, std::string_view ua_public,
                           std::string_view auth_secret, EVP_PKEY* ephemeral,
                           std::string_view salt);
  std::unique_ptr<State> state_;
};

}  // namespace herald::delivery
