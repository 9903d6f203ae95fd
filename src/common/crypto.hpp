// Small cryptographic helpers on libsodium: random bytes, SHA-256, base64url, constant-time
// compare.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace herald {

// Initialises libsodium; safe to call many times. Throws if the library cannot start.
void init_crypto();

std::string random_bytes(std::size_t n);

// A URL-safe random string carrying `bytes` bytes of entropy.
std::string random_token(std::size_t bytes = 32);

using Sha256 = std::array<std::uint8_t, 32>;
Sha256 sha256(std::string_view data);
std::string to_hex(const Sha256& digest);

// SHA-256 over data that arrives in pieces.
class Sha256Stream {
 public:
  Sha256Stream();
  void update(std::string_view data);
  Sha256 finish();

 private:
  alignas(16) unsigned char state_[128];  // crypto_hash_sha256_state, opaque here
};

std::string base64url_encode(std::string_view data);
// Returns false on a malformed input.
bool base64url_decode(std::string_view text, std::string& out);

bool constant_time_equal(std::string_view a, std::string_view b) noexcept;

}  // namespace herald
