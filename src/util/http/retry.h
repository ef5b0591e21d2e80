#pragma once

#include <chrono>
#include <cstdint>
#include <random>

namespace slack_intel::http {

// How often and how patiently to retry a transient failure.
struct RetryPolicy {
  int max_attempts = 5;  // the first try included
  std::chrono::milliseconds base_delay{100};
  std::chrono::milliseconds max_delay{20'000};
};

// Exponential backoff with full jitter ("Exponential Backoff And Jitter", AWS Architecture
// Blog): the delay before retry n (n >= 1) is uniform in [0, min(max, base * 2^(n-1))].
// Seeded, so tests are deterministic. Not thread-safe.
class Backoff {
 public:
  explicit Backoff(RetryPolicy policy, uint64_t seed = std::random_device{}())
      : policy_(policy), random_(seed) {}

  // REQUIRES: retry >= 1.
  std::chrono::milliseconds DelayBeforeRetry(int retry) {
    const int64_t ceiling = std::min<int64_t>(
        policy_.max_delay.count(), policy_.base_delay.count() << std::min(retry - 1, 30));
    std::uniform_int_distribution<int64_t> pick(0, ceiling);
    return std::chrono::milliseconds(pick(random_));
  }

  const RetryPolicy& policy() const { return policy_; }

 private:
  RetryPolicy policy_;
  std::mt19937_64 random_;
};

}  // namespace slack_intel::http
