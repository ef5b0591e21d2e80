#include "util/adaptive_limit.h"

#include <algorithm>

namespace slack_intel {

AdaptiveLimit::AdaptiveLimit(int max, const Clock& clock, std::chrono::milliseconds cooldown)
    : max_(std::max(1, max)), clock_(clock), cooldown_(cooldown), limit_(max_) {}

void AdaptiveLimit::Acquire() {
  std::unique_lock lock(mutex_);
  slot_free_.wait(lock, [&] { return in_flight_ < static_cast<int>(limit_); });
  ++in_flight_;
}

void AdaptiveLimit::Release(bool throttled) {
  {
    std::lock_guard lock(mutex_);
    --in_flight_;
    if (throttled) {
      const auto now = clock_.Now();
      if (now - last_decrease_ >= cooldown_) {
        limit_ = std::max(1.0, limit_ / 2);
        last_decrease_ = now;
      }
    } else {
      limit_ = std::min<double>(max_, limit_ + 1.0 / limit_);
    }
  }
  slot_free_.notify_all();
}

int AdaptiveLimit::limit() const {
  std::lock_guard lock(mutex_);
  return static_cast<int>(limit_);
}

}  // namespace slack_intel
