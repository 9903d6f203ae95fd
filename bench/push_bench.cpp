// Web Push's per-notification cost on one thread: the JSON payload, RFC 8291 encryption with a
// fresh ECDH key, and the request's headers with the VAPID token cached, as the outbox pays it
// before each send. bench/run_push_bench.sh compares it with npm web-push.
#include <string>

#include <benchmark/benchmark.h>

#include "common/crypto.hpp"
#include "common/time.hpp"
#include "delivery/push/web_push_sender.hpp"

namespace {

using namespace herald;
using namespace herald::delivery;

// The same notification and subscription shape as bench/web_push_node_bench.mjs.
PushMessage notification() {
  PushMessage message;
  message.id = "d1842.m99121";
  message.title = "Staff meeting moved";
  message.text = "The staff meeting is moved to room 204 at 15:30 today.";
  message.url = "https://herald.example.org/n/99121";
  message.ttl_seconds = 86400;
  message.urgency = "normal";
  return message;
}

Device subscription() {
  Device device;
  device.platform = DevicePlatform::webpush;
  device.address = "https://fcm.googleapis.com/fcm/send/" + std::string(140, 'e');
  device.p256dh = base64url_encode(SigningKey::generate_p256().public_key_point());
  device.auth = base64url_encode(random_bytes(16));
  return device;
}

void BM_WebPushRequest(benchmark::State& state) {
  init_crypto();
  SystemClock clock;
  VapidSigner vapid(SigningKey::generate_p256(), {.subject = "mailto:ops@example.org"}, clock);
  WebPushEncryptor encryptor;
  Device device = subscription();
  PushMessage message = notification();
  state.counters["payload_bytes"] = static_cast<double>(web_push_payload(message).size());
  for (auto _ : state) {
    auto request = build_web_push_request(device, message, vapid, encryptor);
    if (!request) state.SkipWithError(request.error().message.c_str());
    benchmark::DoNotOptimize(request);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_WebPushRequest);

// Encryption alone, the part of the above that the ECDH dominates.
void BM_WebPushEncrypt(benchmark::State& state) {
  init_crypto();
  WebPushEncryptor encryptor;
  Device device = subscription();
  std::string ua_public, auth_secret;
  base64url_decode(device.p256dh, ua_public);
  base64url_decode(device.auth, auth_secret);
  std::string payload = web_push_payload(notification());
  for (auto _ : state) {
    auto body = encryptor.encrypt(payload, ua_public, auth_secret);
    benchmark::DoNotOptimize(body);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_WebPushEncrypt);

}  // namespace

BENCHMARK_MAIN();
