#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>

#include "util/clock.h"

namespace slack_intel {

// How many requests may be in flight at once, adapted to the server the way TCP adapts to a
// network (AIMD): each success raises the limit by 1/limit (about one per round of requests),
// a throttling reply ("SlowDown", 503) halves it, at most once per `cooldown` so that one burst
// of rejections counts as one signal. Between 1 and `max`. Thread-safe.
class AdaptiveLimit {
 public:
  explicit AdaptiveLimit(int max, const Clock& clock = SystemClock(),
                         std::chrono::milliseconds cooldown = std::chrono::seconds(1));

  // Blocks until fewer than limit() requests are in flight, then counts one more.
  void Acquire();
  // Ends a request started by Acquire(); `throttled` if the server asked to slow down.
  void Release(bool throttled);

  int limit() const;
  int max() const { return max_; }

 private:
  const int max_;
  const Clock& clock_;
  const std::chrono::milliseconds cooldown_;
  mutable std::mutex mutex_;  // guards the fields below
  std::condition_variable slot_free_;
  double limit_;
  int in_flight_ = 0;
  std::chrono::system_clock::time_point last_decrease_{};
};

// Holds one slot of an AdaptiveLimit (or none, if null) for a scope.
class AdaptiveLimitSlot {
 public:
  explicit AdaptiveLimitSlot(AdaptiveLimit* limit) : limit_(limit) {
    if (limit_) limit_->Acquire();
  }
  ~AdaptiveLimitSlot() {
    if (limit_) limit_->Release(throttled_);
  }
  AdaptiveLimitSlot(const AdaptiveLimitSlot&) = delete;
  AdaptiveLimitSlot& operator=(const AdaptiveLimitSlot&) = delete;
  void set_throttled() { throttled_ = true; }

 private:
  AdaptiveLimit* limit_;
  bool throttled_ = false;
};

}  // namespace slack_intel
