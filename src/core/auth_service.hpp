// Logins, logouts and token checks. Tokens are 256-bit random strings handed out once and kept
// only as SHA-256 hashes; checking one hits an in-memory cache before the store.
#pragma once

#include <string>
#include <string_view>

#include "common/result.hpp"
#include "core/model.hpp"
#include "core/password_hasher.hpp"
#include "core/rate_limiter.hpp"
#include "core/token_cache.hpp"

namespace herald {

class Store;

struct AuthOptions {
  TimeMs token_lifetime_ms = 30LL * 24 * 3600 * 1000;
  TimeMs cache_ttl_ms = 60 * 1000;
  // Failed logins: per account a burst of 10 then one every 30 s; per address 30 then one a second.
  RateLimiter::Policy per_account{10, 1.0 / 30};
  RateLimiter::Policy per_address{30, 1.0};
};

struct LoginResult {
  std::string token;  // shown to the caller once, never stored
  User user;
  TimeMs expires_at = 0;
};

class AuthService {
 public:
  AuthService(Store& store, PasswordHasher& hasher, const Clock& clock, AuthOptions options = {});

  // Slow by design (Argon2id): call from a worker thread, never an I/O thread.
  Result<LoginResult> login(std::string_view username, std::string_view password,
                            std::string_view remote_address);
  Result<void> logout(std::string_view token);
  // Cheap when cached; unauthorized for an unknown, expired or revoked token.
  Result<Principal> authenticate(std::string_view token);
  // Drops cached tokens of a user whose role changed or who was deleted.
  void forget_user(Id user);

 private:
  Store& store_;
  PasswordHasher& hasher_;
  const Clock& clock_;
  AuthOptions options_;
  TokenCache cache_;
  RateLimiter account_limiter_;
  RateLimiter address_limiter_;
};

}  // namespace herald
