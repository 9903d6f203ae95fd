#include "core/password_hasher.hpp"

#include <sodium.h>

#include <condition_variable>
#include <mutex>
#include <stdexcept>

namespace herald {

// A counting gate; std::counting_semaphore needs its maximum at compile time.
class PasswordHasher::Gate {
 public:
  explicit Gate(int slots) : free_(slots) {}
  void enter() {
    std::unique_lock lock(mutex_);
    released_.wait(lock, [this] { return free_ > 0; });
    --free_;
  }
  void leave() {
    {
      std::lock_guard lock(mutex_);
      ++free_;
    }
    released_.notify_one();
  }

  // Holds one slot for its lifetime.
  class Slot {
   public:
    explicit Slot(Gate& gate) : gate_(gate) { gate_.enter(); }
    ~Slot() { gate_.leave(); }
    Slot(const Slot&) = delete;
    Slot& operator=(const Slot&) = delete;

   private:
    Gate& gate_;
  };

 private:
  std::mutex mutex_;
  std::condition_variable released_;
  int free_;
};

PasswordHasher::Cost PasswordHasher::interactive() {
  return {crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE};
}

PasswordHasher::Cost PasswordHasher::minimum() {
  return {crypto_pwhash_OPSLIMIT_MIN, crypto_pwhash_MEMLIMIT_MIN};
}

PasswordHasher::PasswordHasher(Cost cost, int max_concurrent)
    : cost_(cost), gate_(std::make_unique<Gate>(max_concurrent > 0 ? max_concurrent : 1)) {
  decoy_hash_ = hash("decoy password, never valid");
}

PasswordHasher::~PasswordHasher() = default;

std::string PasswordHasher::hash(std::string_view password) {
  char out[crypto_pwhash_STRBYTES];
  Gate::Slot slot(*gate_);
  if (crypto_pwhash_str_alg(out, password.data(), password.size(), cost_.ops, cost_.memory_bytes,
                            crypto_pwhash_ALG_ARGON2ID13) != 0) {
    throw std::runtime_error("out of memory while hashing a password");
  }
  return out;
}

bool PasswordHasher::verify(std::string_view encoded_hash, std::string_view password) {
  if (encoded_hash.empty() || encoded_hash.size() >= crypto_pwhash_STRBYTES) return false;
  std::string terminated(encoded_hash);
  Gate::Slot slot(*gate_);
  return crypto_pwhash_str_verify(terminated.c_str(), password.data(), password.size()) == 0;
}

void PasswordHasher::burn_time(std::string_view password) {
  (void)verify(decoy_hash_, password);
}

}  // namespace herald
