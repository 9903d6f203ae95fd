#include "core/auth_service.hpp"

#include "common/crypto.hpp"
#include "common/metrics.hpp"
#include "core/validation.hpp"
#include "store/store.hpp"

namespace herald {
namespace {

Error bad_credentials() {
  return fail(errc::unauthorized, "wrong username or password");
}

}  // namespace

AuthService::AuthService(Store& store, PasswordHasher& hasher, const Clock& clock,
                         AuthOptions options)
    : store_(store),
      hasher_(hasher),
      clock_(clock),
      options_(options),
      cache_(options.cache_ttl_ms),
      account_limiter_(options.per_account, clock),
      address_limiter_(options.per_address, clock) {}

Result<LoginResult> AuthService::login(std::string_view username_in, std::string_view password,
                                       std::string_view remote_address) {
  std::string username = ascii_lower(username_in);
  std::string account_key = "account:" + username;
  std::string address_key = "address:" + std::string(remote_address);
  auto wait = account_limiter_.retry_after(account_key);
  if (auto address_wait = address_limiter_.retry_after(address_key)) {
    wait = std::max(wait.value_or(0), *address_wait);
  }
  if (wait) {
    metrics().logins_throttled.fetch_add(1, std::memory_order_relaxed);
    Error error(errc::rate_limited, "too many failed logins; try again later");
    error.retry_after_seconds = *wait;
    return error;
  }

  // Spend before the slow check, so that parallel guesses cannot all pass a nearly empty bucket.
  account_limiter_.spend(account_key);
  address_limiter_.spend(address_key);
  auto credentials = store_.find_credentials(username);
  bool valid = false;
  if (credentials && !credentials->password_hash.empty()) {
    valid = hasher_.verify(credentials->password_hash, password);
  } else {
    hasher_.burn_time(password);  // answer unknown names as slowly as known ones
  }
  if (!valid) {
    metrics().logins_failed.fetch_add(1, std::memory_order_relaxed);
    return bad_credentials();
  }

  account_limiter_.refund(account_key);
  address_limiter_.refund(address_key);
  LoginResult result;
  result.token = random_token(32);
  result.user = credentials->user;
  TimeMs now = clock_.now_ms();
  result.expires_at = now + options_.token_lifetime_ms;
  if (auto stored =
          store_.insert_token({sha256(result.token), result.user.id, now, result.expires_at});
      !stored) {
    return stored.error();
  }
  metrics().logins_succeeded.fetch_add(1, std::memory_order_relaxed);
  return result;
}

Result<void> AuthService::logout(std::string_view token) {
  Sha256 hash = sha256(token);
  cache_.erase(hash);
  return store_.delete_token(hash);
}

Result<Principal> AuthService::authenticate(std::string_view token) {
  if (token.empty() || token.size() > 256) return fail(errc::unauthorized, "invalid token");
  Sha256 hash = sha256(token);
  TimeMs now = clock_.now_ms();
  if (auto cached = cache_.find(hash, now)) return *cached;
  auto record = store_.find_token(hash);
  if (!record || record->expires_at <= now) {
    return fail(errc::unauthorized, "the token is unknown, expired or revoked");
  }
  auto user = store_.find_user(record->user_id);
  if (!user) return fail(errc::unauthorized, "the token's user no longer exists");
  Principal principal{user->id, user->role, user->username, record->expires_at};
  cache_.put(hash, principal, now);
  return principal;
}

void AuthService::forget_user(Id user) {
  cache_.erase_user(user);
}

}  // namespace herald
