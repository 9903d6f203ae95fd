#include "delivery/outbox.hpp"

#include <algorithm>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "common/thread_name.hpp"

namespace herald::delivery {
namespace {

constexpr std::size_t kMaxErrorBytes = 500;

std::string clip(std::string text) {
  if (text.size() > kMaxErrorBytes) text.resize(kMaxErrorBytes);
  return text;
}

// A complete HTML document around the sanitised body, for the email's HTML part.
std::string html_document(const std::string& body_html) {
  return "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"></head><body>\n" + body_html +
         "</body></html>\n";
}

}  // namespace

Outbox::Outbox(OutboxStore& store, const Clock& clock, OutboxOptions options,
               SenderFactories factories)
    : store_(store),
      clock_(clock),
      options_(std::move(options)),
      factories_(std::move(factories)) {}

Outbox::~Outbox() {
  stop();
}

void Outbox::start() {
  if (auto released = store_.release_deliveries(clock_.now_ms()); !released) {
    spdlog::warn("outbox: could not release leased deliveries: {}", released.error().message);
  }
  stopping_ = false;
  if (factories_.email) {
    for (int i = 0; i < options_.email_workers; ++i) {
      workers_.emplace_back([this] {
        name_this_thread("herald-email");
        run_worker(email_lane_);
      });
    }
  }
  if (factories_.push) {
    for (int i = 0; i < options_.push_workers; ++i) {
      workers_.emplace_back([this] {
        name_this_thread("herald-push");
        run_worker(push_lane_);
      });
    }
  }
}

void Outbox::notify(DeliveryChannel channel) {
  Lane& lane = channel == DeliveryChannel::email ? email_lane_ : push_lane_;
  {
    std::lock_guard lock(lane.mutex);
    ++lane.generation;
  }
  lane.wake.notify_all();
}

void Outbox::stop() {
  stopping_ = true;
  for (Lane* lane : {&email_lane_, &push_lane_}) {
    std::lock_guard lock(lane->mutex);
    ++lane->generation;
  }
  email_lane_.wake.notify_all();
  push_lane_.wake.notify_all();
  for (auto& worker : workers_) worker.join();
  workers_.clear();
}

void Outbox::wait_for_work(Lane& lane, std::uint64_t seen_generation) {
  TimeMs now = clock_.now_ms();
  TimeMs until = now + options_.poll_ms;
  // Rows can be due and a claim still return nothing (it cancelled the rows of a retracted
  // broadcast it met, up to its limit): wait a little rather than spin. New rows come with a
  // notify().
  if (auto due = store_.next_delivery_due(lane.channel)) {
    until = *due <= now ? now + std::min<TimeMs>(50, options_.poll_ms) : std::min(*due, until);
  }
  std::unique_lock lock(lane.mutex);
  lane.wake.wait_for(lock, std::chrono::milliseconds(until - now),
                     [&] { return stopping_.load() || lane.generation != seen_generation; });
}

void Outbox::run_worker(Lane& lane) {
  std::mt19937_64 random(std::random_device{}());
  std::unique_ptr<EmailSender> email;
  std::unique_ptr<PushSender> push;
  try {
    if (lane.channel == DeliveryChannel::email) {
      email = factories_.email();
    } else {
      push = factories_.push();
    }
  } catch (const std::exception& e) {
    spdlog::error("outbox: the {} sender could not start: {}", channel_name(lane.channel),
                  e.what());
    return;
  }
  while (!stopping_) {
    std::uint64_t generation;
    {
      std::lock_guard lock(lane.mutex);
      generation = lane.generation;
    }
    auto jobs =
        store_.claim_deliveries(lane.channel, clock_.now_ms(), options_.lease_ms, options_.batch);
    if (jobs.empty()) {
      wait_for_work(lane, generation);
      continue;
    }
    std::vector<DeliveryResult> results;
    results.reserve(jobs.size());
    for (const auto& job : jobs) {
      // Rows not sent before a stop stay leased and are released at the next start.
      if (stopping_) break;
      results.push_back(email ? send_email(*email, job, random) : send_push(*push, job, random));
    }
    if (auto recorded = store_.record_deliveries(results, clock_.now_ms()); !recorded) {
      spdlog::error("outbox: could not record {} deliveries: {}", results.size(),
                    recorded.error().message);
    }
  }
}

DeliveryResult Outbox::send_email(EmailSender& sender, const DeliveryJob& job,
                                  std::mt19937_64& random) {
  OutgoingEmail email;
  email.from = {options_.from.address, job.author_name};
  email.to = {job.address, job.recipient_name};
  email.subject = job.subject;
  email.text = job.body;
  email.html = html_document(job.body_html);
  email.message_id = email_message_id(job.id, job.message_id, options_.message_id_host);
  email.date_ms = clock_.now_ms();
  for (const auto& attachment : job.attachments) {
    email.attachments.push_back(
        {attachment.name, attachment.type,
         options_.blob_path ? options_.blob_path(attachment.blob_id) : std::filesystem::path{}});
  }
  Outcome outcome;
  try {
    outcome = sender.send(email);
  } catch (const std::exception& e) {
    outcome = {Verdict::retry, e.what(), std::nullopt};
  }
  return settle(job, outcome, random);
}

DeliveryResult Outbox::send_push(PushSender& sender, const DeliveryJob& job,
                                 std::mt19937_64& random) {
  if (!job.device) return {job.id, DeliveryStatus::failed, "the device was removed", 0, {}};
  if (!job.push) return {job.id, DeliveryStatus::failed, "the message has no push part", 0, {}};
  PushMessage message{push_id(job.id), job.push->title,           job.push->text,
                      job.push->url,   options_.push_ttl_seconds, "normal"};
  Outcome outcome;
  try {
    outcome = sender.send(*job.device, message);
  } catch (const std::exception& e) {
    outcome = {Verdict::retry, e.what(), std::nullopt};
  }
  return settle(job, outcome, random);
}

DeliveryResult Outbox::settle(const DeliveryJob& job, const Outcome& outcome,
                              std::mt19937_64& random) {
  DeliveryResult result{job.id, DeliveryStatus::sent, "", 0, std::nullopt};
  switch (outcome.verdict) {
    case Verdict::sent:
      break;
    case Verdict::failed:
      result.status = DeliveryStatus::failed;
      result.error = clip(outcome.detail);
      break;
    case Verdict::gone:
      result.status = DeliveryStatus::failed;
      result.error = clip("the push service no longer knows the device: " + outcome.detail);
      if (job.device) result.remove_device = job.device->id;
      break;
    case Verdict::retry: {
      std::optional<std::int64_t> retry_after;
      if (outcome.retry_after) retry_after = outcome.retry_after->count() * 1000;
      auto delay = options_.backoff.next_delay_ms(job.attempts, retry_after, random);
      if (!delay) {
        result.status = DeliveryStatus::failed;
        result.error =
            clip(fmt::format("gave up after {} attempts: {}", job.attempts, outcome.detail));
      } else {
        result.status = DeliveryStatus::queued;
        result.error = clip(outcome.detail);
        result.next_attempt_at = clock_.now_ms() + *delay;
      }
      break;
    }
  }
  return result;
}

}  // namespace herald::delivery
