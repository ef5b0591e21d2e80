#include "slack/rate_pacer.h"

#include <algorithm>

namespace slack_intel::slack {
namespace {

using Seconds = std::chrono::duration<double>;

constexpr double kDecrease = 0.85;          // of the pace, per 429 (at most once a window)
constexpr double kRecoveryPerWindow = 0.4;  // tier rates added per window of successes
constexpr double kProbePerWindow = 0.1;     // of the pace, per window, above where it was refused
constexpr double kMinPerSecond = 1.0 / 60;  // one call a minute: Slack's lowest tier
constexpr size_t kMaxRememberedSuccesses = 100'000;

}  // namespace

int TierCallsPerMinute(const std::string& method) {
  if (method == "conversations.list" || method == "users.list") return 20;
  if (method == "conversations.history" || method == "conversations.replies") return 50;
  return 100;
}

RatePacer::Pace& RatePacer::PaceOf(const std::string& method) {
  auto [it, added] = paces_.try_emplace(method);
  if (added) it->second.tier_per_second = TierCallsPerMinute(method) / 60.0;
  return it->second;
}

void RatePacer::Refill(Pace& pace, TimePoint now) const {
  if (now <= pace.refilled) return;
  const double capacity = std::max(1.0, pace.per_second * Seconds(kWindow).count());
  pace.tokens =
      std::min(capacity, pace.tokens + Seconds(now - pace.refilled).count() * pace.per_second);
  pace.refilled = now;
}

void RatePacer::ForgetOldSuccesses(Pace& pace, TimePoint now) const {
  while (!pace.successes.empty() && (now - pace.successes.front() > kWindow ||
                                     pace.successes.size() > kMaxRememberedSuccesses))
    pace.successes.pop_front();
}

std::chrono::milliseconds RatePacer::Wait(const std::string& method) {
  Pace& pace = PaceOf(method);
  const TimePoint now = clock_.Now();
  TimePoint due = std::max(now, pace.not_before);
  if (pace.per_second > 0) {
    Refill(pace, now);
    // What the bucket will hold at `due`, and how long after that a whole call is there.
    const double at_due =
        pace.tokens + Seconds(due - std::max(now, pace.refilled)).count() * pace.per_second;
    if (at_due < 1) {
      due += std::chrono::duration_cast<std::chrono::system_clock::duration>(
          Seconds((1 - at_due) / pace.per_second));
    }
  }
  // Bounded even if the system clock jumped back after a Retry-After was set.
  const auto wait = std::min<std::chrono::milliseconds>(
      std::chrono::ceil<std::chrono::milliseconds>(due - now), http::kMaxRetryAfter + kWindow);
  if (wait.count() > 0) clock_.SleepFor(wait);
  if (pace.per_second > 0) {
    Refill(pace, clock_.Now());
    pace.tokens -= 1;  // may go slightly below 0 when the clock woke early: a debt
  }
  return std::max(wait, std::chrono::milliseconds(0));
}

void RatePacer::Succeeded(const std::string& method) {
  Pace& pace = PaceOf(method);
  const TimePoint now = clock_.Now();
  pace.successes.push_back(now);
  ForgetOldSuccesses(pace, now);
  if (pace.per_second == 0) return;
  // A window holds per_second * kWindow calls: together they add what the constants say.
  const double calls_per_window = pace.per_second * Seconds(kWindow).count();
  if (pace.per_second < pace.refused_at) {
    pace.per_second =
        std::min(pace.refused_at,
                 pace.per_second + kRecoveryPerWindow * pace.tier_per_second / calls_per_window);
  } else if (now - pace.last_refusal >= kWindow) {
    pace.per_second += kProbePerWindow * pace.per_second / calls_per_window;
  }
}

void RatePacer::Limited(const std::string& method, std::chrono::milliseconds retry_after) {
  Pace& pace = PaceOf(method);
  const TimePoint now = clock_.Now();
  retry_after = std::clamp<std::chrono::milliseconds>(retry_after, std::chrono::seconds(1),
                                                      http::kMaxRetryAfter);
  pace.not_before = std::max(pace.not_before, now + retry_after);
  ForgetOldSuccesses(pace, now);
  if (pace.successes.empty() && pace.per_second == 0) return;  // nothing learnt: only wait
  const double in_window = static_cast<double>(pace.successes.size());
  pace.last_refusal = now;
  if (pace.per_second == 0) {
    // The server's window refills after the Retry-After: what got through since the first of
    // these calls, over that time, is what it allows.
    const double span = Seconds(now - pace.successes.front() + retry_after).count();
    pace.per_second = std::max(pace.tier_per_second, in_window / span);
    pace.refused_at = pace.per_second;
    pace.last_decrease = now;
  } else if (now - pace.last_decrease >= kWindow) {
    pace.refused_at = pace.per_second;
    // Never below what the server let through in the last minute.
    pace.per_second = std::max(
        {kMinPerSecond, pace.per_second * kDecrease, in_window / Seconds(kWindow).count()});
    pace.last_decrease = now;
  }
  pace.tokens = 0;  // the server's window is full
  pace.refilled = now;
}

double RatePacer::calls_per_minute(const std::string& method) const {
  auto it = paces_.find(method);
  return it == paces_.end() ? 0 : it->second.per_second * 60;
}

}  // namespace slack_intel::slack
