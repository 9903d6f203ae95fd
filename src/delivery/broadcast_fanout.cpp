#include "delivery/broadcast_fanout.hpp"

#include <algorithm>
#include <chrono>

#include <spdlog/spdlog.h>

#include "common/thread_name.hpp"

namespace herald::delivery {

BroadcastFanout::BroadcastFanout(BroadcastStore& store, Planner planner,
                                 std::function<void()> rows_queued, FanoutOptions options)
    : store_(store),
      planner_(std::move(planner)),
      rows_queued_(std::move(rows_queued)),
      options_(options) {}

BroadcastFanout::~BroadcastFanout() {
  stop();
}

void BroadcastFanout::start() {
  stopping_ = false;
  thread_ = std::thread([this] { run(); });
}

void BroadcastFanout::notify() {
  {
    std::lock_guard lock(mutex_);
    ++generation_;
  }
  wake_.notify_all();
}

void BroadcastFanout::stop() {
  if (!thread_.joinable()) return;
  stopping_ = true;
  notify();
  thread_.join();
}

bool BroadcastFanout::work_once() {
  auto batch = store_.next_fanout_batch(options_.slice);
  if (!batch) return false;
  if (batch->retracted) {
    auto cleaned = store_.clean_retracted(batch->message_id, options_.slice);
    if (!cleaned) throw std::runtime_error(cleaned.error().message);
    return true;
  }
  auto rows = planner_(*batch);
  auto recorded = store_.record_fanout_batch(*batch, rows);
  if (!recorded) throw std::runtime_error(recorded.error().message);
  bool queued = std::any_of(rows.begin(), rows.end(), [](const NewDelivery& d) {
    return d.status == DeliveryStatus::queued;
  });
  if (*recorded && queued && rows_queued_) rows_queued_();
  return true;
}

void BroadcastFanout::run() {
  name_this_thread("herald-fanout");
  while (!stopping_) {
    std::uint64_t generation;
    {
      std::lock_guard lock(mutex_);
      generation = generation_;
    }
    bool worked = false;
    std::int64_t wait_ms = options_.poll_ms;
    try {
      worked = work_once();
    } catch (const std::exception& e) {
      spdlog::error("broadcast fan-out: {}", e.what());
      wait_ms = std::min<std::int64_t>(1'000, options_.poll_ms);  // the store may recover
    }
    if (worked) continue;
    std::unique_lock lock(mutex_);
    wake_.wait_for(lock, std::chrono::milliseconds(wait_ms),
                   [&] { return stopping_.load() || generation_ != generation; });
  }
}

}  // namespace herald::delivery
