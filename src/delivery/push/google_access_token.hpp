// OAuth 2.0 access tokens for a Google service account: the JWT bearer grant (RFC 7523) signed
// with the account's RS256 key, and the token kept until shortly before it expires.
#pragma once

#include <filesystem>
#include <string>

#include "common/result.hpp"
#include "common/time.hpp"
#include "delivery/push/http_client.hpp"
#include "delivery/push/jwt.hpp"

namespace herald::delivery {

// The fields of a service account's JSON key file that token requests need.
struct ServiceAccount {
  std::string project_id;
  std::string client_email;
  std::string private_key_id;  // the JWT's "kid"; may be empty
  std::string token_uri;       // https://oauth2.googleapis.com/token in Google's files
  SigningKey private_key;
};

// Reads a service account JSON key file. Throws std::runtime_error (at start-up) when the file
// cannot be read or lacks a field.
ServiceAccount load_service_account(const std::filesystem::path& file);

// Not thread-safe: one per sender, sharing the sender's HttpClient.
class GoogleAccessToken {
 public:
  // `http` and `clock` must outlive this object.
  GoogleAccessToken(ServiceAccount account, std::string scope, HttpClient& http,
                    const Clock& clock);

  // The cached token, or a new one from token_uri when none is held or less than five minutes
  // (at most half its lifetime) are left. unavailable when the token endpoint could not be
  // reached or failed (try later); unauthorized when it refused the grant (fix the account).
  Result<std::string> get();

  // Forgets the cached token, after the API refused it.
  void invalidate() { token_.clear(); }

  const ServiceAccount& account() const noexcept { return account_; }

 private:
  ServiceAccount account_;
  std::string scope_;
  HttpClient& http_;
  const Clock& clock_;
  std::string token_;
  TimeMs renew_at_ms_ = 0;
};

}  // namespace herald::delivery
