// RFC 8292 VAPID: the application server's P-256 key, kept in a private PEM file, and the
// "vapid" Authorization header that proves it to push services, signed once per push service.
#pragma once

#include <chrono>
#include <filesystem>
#include <string>
#include <string_view>
#include <unordered_map>

#include "common/time.hpp"
#include "delivery/push/jwt.hpp"

namespace herald::delivery {

// Loads the key from `file`, or creates a new one there (mode 0600) when the file is absent.
// Throws std::runtime_error when the file exists but holds no P-256 key, or cannot be written.
SigningKey load_or_create_vapid_key(const std::filesystem::path& file);

// Writes the key as PKCS#8 PEM, readable by its owner only. Throws on failure.
void save_private_key(const SigningKey& key, const std::filesystem::path& file);

// "https://push.example.net" for "https://push.example.net:443/send/abc": scheme and host in
// lower case, the port only when it is not the scheme's default. Empty when not http(s).
std::string endpoint_origin(std::string_view endpoint);

struct VapidOptions {
  std::string
      subject;  // "mailto:ops@example.org" or an https: URL for the push service's operators
  std::chrono::seconds lifetime{std::chrono::hours(12)};       // the JWT's exp from its signing
  std::chrono::seconds refresh_before{std::chrono::hours(1)};  // re-sign when less is left
};

// Not thread-safe: one per worker thread, like the senders that use it.
class VapidSigner {
 public:
  // `clock` must outlive the signer.
  VapidSigner(SigningKey key, VapidOptions options, const Clock& clock);

  // "vapid t=<JWT>, k=<public key>" for the push service that serves `endpoint`: the JWT
  // (ES256, {"aud": origin, "exp", "sub"}) is signed on the first use for an origin and reused
  // until less than refresh_before of its lifetime is left. The reference stays valid until the
  // next call. Empty when the endpoint is not an http(s) URL.
  const std::string& authorization(std::string_view endpoint);

  // The public key, base64url: what browsers are given as applicationServerKey.
  const std::string& public_key() const noexcept { return public_key_; }

 private:
  struct Signed {
    std::string header;
    TimeMs expires_at_ms = 0;
  };
  SigningKey key_;
  VapidOptions options_;
  const Clock& clock_;
  std::string public_key_;
  std::unordered_map<std::string, Signed> by_origin_;
  std::string none_;
};

}  // namespace herald::delivery
