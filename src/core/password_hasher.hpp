// Argon2id password hashing (libsodium). Hashing is deliberately slow and memory-hungry, so the
// number of hashes computed at once is capped; callers beyond the cap wait.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

namespace herald {

class PasswordHasher {
 public:
  struct Cost {
    unsigned long long ops;
    std::size_t memory_bytes;
  };
  // libsodium's "interactive" level: about 64 MiB and tens of milliseconds per hash.
  static Cost interactive();
  // libsodium's minimum: fast and weak, for tests only.
  static Cost minimum();

  PasswordHasher(Cost cost, int max_concurrent);
  PasswordHasher(const PasswordHasher&) = delete;
  PasswordHasher& operator=(const PasswordHasher&) = delete;
  ~PasswordHasher();

  // An encoded "$argon2id$..." string holding salt and parameters.
  std::string hash(std::string_view password);
  // False for a wrong password or an empty or malformed hash.
  bool verify(std::string_view encoded_hash, std::string_view password);
  // Spends the time of a verification, so that unknown usernames answer as slowly as known ones.
  void burn_time(std::string_view password);

 private:
  class Gate;
  Cost cost_;
  std::unique_ptr<Gate> gate_;
  std::string decoy_hash_;
};

}  // namespace herald
