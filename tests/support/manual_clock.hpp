// A clock that tests move by hand.
#pragma once

#include <atomic>

#include "common/time.hpp"

namespace herald::test {

class ManualClock final : public Clock {
 public:
  explicit ManualClock(TimeMs start = 1'800'000'000'000) : now_(start) {}
  TimeMs now_ms() const noexcept override { return now_.load(); }
  void advance_ms(TimeMs delta) { now_ += delta; }

 private:
  std::atomic<TimeMs> now_;
};

}  // namespace herald::test
