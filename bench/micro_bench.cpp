// Micro-benchmarks of the per-request costs in core: what a login pays (Argon2id at the
// interactive level), and what every authenticated request pays (SHA-256 of the bearer token,
// then a token cache lookup).
#include <cstddef>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>

#include "common/crypto.hpp"
#include "common/time.hpp"
#include "core/model.hpp"
#include "core/password_hasher.hpp"
#include "core/token_cache.hpp"

namespace {

using herald::PasswordHasher;

constexpr herald::TimeMs kTtlMs = 60 * 1000;
constexpr herald::TimeMs kNow = 1'700'000'000'000;

void BM_Argon2idHash(benchmark::State& state) {
  herald::init_crypto();
  PasswordHasher hasher(PasswordHasher::interactive(), 1);
  for (auto _ : state) benchmark::DoNotOptimize(hasher.hash("correct horse battery staple"));
}
BENCHMARK(BM_Argon2idHash)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_Argon2idVerify(benchmark::State& state) {
  herald::init_crypto();
  PasswordHasher hasher(PasswordHasher::interactive(), 1);
  std::string encoded = hasher.hash("correct horse battery staple");
  for (auto _ : state) {
    benchmark::DoNotOptimize(hasher.verify(encoded, "correct horse battery staple"));
  }
}
BENCHMARK(BM_Argon2idVerify)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_TokenSha256(benchmark::State& state) {
  herald::init_crypto();
  std::string token = herald::random_token(32);
  for (auto _ : state) benchmark::DoNotOptimize(herald::sha256(token));
}
BENCHMARK(BM_TokenSha256);

// A cache holding `state.range(0)` tokens, looked up by the digest of one of them (hit) or of a
// token it has never seen (miss).
std::vector<herald::Sha256> fill_cache(herald::TokenCache& cache, std::size_t tokens) {
  std::vector<herald::Sha256> digests;
  digests.reserve(tokens);
  for (std::size_t i = 0; i < tokens; ++i) {
    digests.push_back(herald::sha256(herald::random_token(32)));
    herald::Principal principal{static_cast<herald::Id>(i + 1), herald::Role::user,
                                "user" + std::to_string(i), kNow + kTtlMs * 10};
    cache.put(digests.back(), principal, kNow);
  }
  return digests;
}

void BM_TokenCacheHit(benchmark::State& state) {
  herald::init_crypto();
  herald::TokenCache cache(kTtlMs);
  auto digests = fill_cache(cache, static_cast<std::size_t>(state.range(0)));
  std::size_t next = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(cache.find(digests[next], kNow + 1));
    next = next + 1 == digests.size() ? 0 : next + 1;
  }
}
BENCHMARK(BM_TokenCacheHit)->Arg(1)->Arg(1000)->Arg(100000);

void BM_TokenCacheMiss(benchmark::State& state) {
  herald::init_crypto();
  herald::TokenCache cache(kTtlMs);
  fill_cache(cache, static_cast<std::size_t>(state.range(0)));
  herald::Sha256 unknown = herald::sha256(herald::random_token(32));
  for (auto _ : state) benchmark::DoNotOptimize(cache.find(unknown, kNow + 1));
}
BENCHMARK(BM_TokenCacheMiss)->Arg(1000);

// What authenticating a cached bearer token costs end to end in core: hash, then look up.
void BM_TokenHashAndLookup(benchmark::State& state) {
  herald::init_crypto();
  herald::TokenCache cache(kTtlMs);
  std::string token = herald::random_token(32);
  herald::Principal principal{1, herald::Role::admin, "admin", kNow + kTtlMs * 10};
  cache.put(herald::sha256(token), principal, kNow);
  fill_cache(cache, 1000);
  for (auto _ : state) benchmark::DoNotOptimize(cache.find(herald::sha256(token), kNow + 1));
}
BENCHMARK(BM_TokenHashAndLookup);

}  // namespace

BENCHMARK_MAIN();
