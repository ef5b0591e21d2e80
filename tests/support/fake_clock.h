#pragma once

#include <chrono>
#include <mutex>
#include <vector>

#include "util/clock.h"

namespace slack_intel::testing {

// A clock that stands still unless told to move; SleepFor() records the delay and advances
// time instead of sleeping. Thread-safe.
class FakeClock final : public Clock {
 public:
  explicit FakeClock(std::chrono::system_clock::time_point now = std::chrono::system_clock::now())
      : now_(now) {}

  std::chrono::system_clock::time_point Now() const override {
    std::lock_guard lock(mutex_);
    return now_;
  }
  void SleepFor(std::chrono::milliseconds duration) const override {
    std::lock_guard lock(mutex_);
    sleeps_.push_back(duration);
    now_ += duration;
  }
  void Advance(std::chrono::milliseconds duration) {
    std::lock_guard lock(mutex_);
    now_ += duration;
  }
  std::vector<std::chrono::milliseconds> sleeps() const {
    std::lock_guard lock(mutex_);
    return sleeps_;
  }

 private:
  mutable std::mutex mutex_;  // guards now_ and sleeps_
  mutable std::chrono::system_clock::time_point now_;
  mutable std::vector<std::chrono::milliseconds> sleeps_;
};

}  // namespace slack_intel::testing
