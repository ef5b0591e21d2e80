#pragma once

#include <chrono>

namespace slack_intel {

// Time as the program sees it. Signing, credential expiry and backoff take time from a Clock
// so tests can set it and never really sleep. Implementations are thread-safe.
class Clock {
 public:
  virtual ~Clock() = default;
  virtual std::chrono::system_clock::time_point Now() const = 0;
  virtual void SleepFor(std::chrono::milliseconds duration) const = 0;
};

// The real clock. Returns a process-wide instance; never null.
const Clock& SystemClock();

}  // namespace slack_intel
