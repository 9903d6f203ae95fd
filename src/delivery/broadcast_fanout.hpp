// The broadcast fan-out: a thread that pays what a broadcast owes after its send commits. It
// writes the delivery rows of its recipients a slice at a time (each slice one transaction that
// moves the broadcast's cursor, so a restart resumes where it stopped and no row is written
// twice), and after a retraction cancels its queued rows and deletes its recipient rows.
//
// Threads: start() and stop() from one thread; notify() from any thread.
#pragma once

#include <atomic>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include "store/broadcast_store.hpp"

namespace herald::delivery {

struct FanoutOptions {
  int slice = 2000;              // recipients per transaction
  std::int64_t poll_ms = 5'000;  // how often an idle fan-out looks for work anyway
};

class BroadcastFanout {
 public:
  using Planner = std::function<std::vector<NewDelivery>(const FanoutBatch&)>;

  // `rows_queued` is called after a slice with queued rows commits (to wake the outbox).
  BroadcastFanout(BroadcastStore& store, Planner planner, std::function<void()> rows_queued,
                  FanoutOptions options = {});
  ~BroadcastFanout();
  BroadcastFanout(const BroadcastFanout&) = delete;
  BroadcastFanout& operator=(const BroadcastFanout&) = delete;

  void start();
  // A broadcast was sent or retracted.
  void notify();
  // Finishes the slice in hand and joins the thread; what is left is resumed at the next start.
  void stop();

 private:
  void run();
  // One slice of work; false when there was none.
  bool work_once();

  BroadcastStore& store_;
  Planner planner_;
  std::function<void()> rows_queued_;
  FanoutOptions options_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::uint64_t generation_ = 0;
  std::atomic<bool> stopping_{false};
  std::thread thread_;
};

}  // namespace herald::delivery
