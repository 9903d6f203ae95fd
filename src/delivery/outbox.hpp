// The outbox workers: threads that claim queued email and push deliveries from the store, send
// them with their own senders, and record each outcome (sent, a retry with backoff, failed, a
// device removed). Delivery is at least once: a row is recorded only after its send returned,
// so a crash in between sends it again, with the same idempotency key.
//
// Threads: start() and stop() from one thread; notify() from any thread.
#pragma once

#include <atomic>
#include <condition_variable>
#include <filesystem>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "common/time.hpp"
#include "delivery/backoff.hpp"
#include "delivery/sender.hpp"
#include "store/outbox_store.hpp"

namespace herald::delivery {

struct OutboxOptions {
  int email_workers = 2;
  int push_workers = 2;
  int batch = 16;                   // rows a worker claims at once
  std::int64_t lease_ms = 300'000;  // a claimed row is taken again after this, if never recorded
  std::int64_t poll_ms = 1'000;     // how often an idle worker looks for due rows anyway
  BackoffPolicy backoff;
  MailAddress from;  // the address emails are sent from (name: the author's)
  std::string message_id_host = "herald.invalid";
  int push_ttl_seconds = 86'400;
  // Where an attachment's bytes are, by blob id.
  std::function<std::filesystem::path(const std::string& blob_id)> blob_path;
};

class Outbox {
 public:
  Outbox(OutboxStore& store, const Clock& clock, OutboxOptions options, SenderFactories factories);
  ~Outbox();
  Outbox(const Outbox&) = delete;
  Outbox& operator=(const Outbox&) = delete;

  // Makes rows leased by a previous run due again, then starts the workers of every configured
  // channel.
  void start();
  // Wakes the workers of a channel: rows were queued.
  void notify(DeliveryChannel channel);
  // Lets each worker finish the send in hand, then joins them. Unsent rows stay queued.
  void stop();

 private:
  struct Lane {
    DeliveryChannel channel;
    std::mutex mutex;
    std::condition_variable wake;
    std::uint64_t generation = 0;  // bumped by notify()
  };

  void run_worker(Lane& lane);
  void wait_for_work(Lane& lane, std::uint64_t seen_generation);
  DeliveryResult send_email(EmailSender& sender, const DeliveryJob& job, std::mt19937_64& random);
  DeliveryResult send_push(PushSender& sender, const DeliveryJob& job, std::mt19937_64& random);
  DeliveryResult settle(const DeliveryJob& job, const Outcome& outcome, std::mt19937_64& random);

  OutboxStore& store_;
  const Clock& clock_;
  OutboxOptions options_;
  SenderFactories factories_;
  Lane email_lane_{DeliveryChannel::email, {}, {}, 0};
  Lane push_lane_{DeliveryChannel::push, {}, {}, 0};
  std::atomic<bool> stopping_{false};
  std::vector<std::thread> workers_;
};

}  // namespace herald::delivery
