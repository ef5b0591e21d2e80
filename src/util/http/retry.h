#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
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
  // Without a seed, one is drawn at the first retry: std::random_device costs ~30 us (CPUID
  // traps on a VM), and most clients never retry.
  explicit Backoff(RetryPolicy policy, std::optional<uint64_t> seed = std::nullopt)
      : policy_(policy), seed_(seed) {}

  // REQUIRES: retry >= 1.
  std::chrono::milliseconds DelayBeforeRetry(int retry) {
    if (!random_) random_.emplace(seed_ ? *seed_ : std::random_device{}());
    const int64_t ceiling = std::min<int64_t>(
        policy_.max_delay.count(), policy_.base_delay.count() << std::min(retry - 1, 30));
    std::uniform_int_distribution<int64_t> pick(0, ceiling);
    return std::chrono::milliseconds(pick(*random_));
  }

  const RetryPolicy& policy() const { return policy_; }

 private:
  RetryPolicy policy_;
  std::optional<uint64_t> seed_;
  std::optional<std::mt19937_64> random_;
};

}  // namespace slack_intel::http
