#pragma once

#include <chrono>
#include <deque>
#include <map>
#include <string>

#include "util/clock.h"
#include "util/http/retry.h"

namespace slack_intel::slack {

// Paces a Slack app's Web API calls, method by method, to what the workspace allows (Slack's
// "Rate limits" guide: each method has a tier of calls per minute, short bursts above it are
// tolerated, and a call over the limit is answered 429 with Retry-After). docs/cache-layout.md
// ("Slack access") describes the behaviour:
// - A method goes unpaced until a 429 follows calls of it that got through: bursts cost
//   nothing. A 429 with nothing to learn from (the first call of a method, when another job
//   spends the same quota) is only waited out.
// - Every 429 is waited out for its Retry-After (at most http::kMaxRetryAfter).
// - The first 429 sets the pace: what got through, over the time it took plus the
//   Retry-After (the server's own account of its window), or the method's documented tier
//   rate if that is more.
// - Later 429s lower the pace by 15%, at most once a minute (a burst of refusals is one
//   signal) and never below what got through in the last minute.
// - Calls that succeed raise the pace back to where it was refused, by 40% of the tier rate
//   per minute of calls (additive increase, multiplicative decrease, as TCP adapts to a
//   network); past that, after a whole minute without a 429, by 10% a minute: the quota may
//   have been freed.
// - Calls draw on a token bucket holding a minute of calls at the pace, so the allowance that
//   built up during a wait is used at once, as the server's own window allows.
// Not thread-safe: one per client.
class RatePacer {
 public:
  static constexpr std::chrono::seconds kWindow{60};  // Slack's limits are per minute

  explicit RatePacer(const Clock& clock) : clock_(clock) {}

  // Sleeps (on the clock) until a call of `method` may go, and counts it as going. Returns how
  // long it slept.
  std::chrono::milliseconds Wait(const std::string& method);
  // The call of `method` got through.
  void Succeeded(const std::string& method);
  // The call of `method` was refused with a 429; the next one waits `retry_after` (clamped to
  // 1 s .. http::kMaxRetryAfter).
  void Limited(const std::string& method, std::chrono::milliseconds retry_after);

  // Calls per minute `method` is paced at; 0 while it is not paced.
  double calls_per_minute(const std::string& method) const;

 private:
  using TimePoint = std::chrono::system_clock::time_point;
  struct Pace {
    double tier_per_second = 0;
    double per_second = 0;  // 0 = not paced yet
    double refused_at = 0;  // the pace of the last 429: successes raise per_second back to it
    double tokens = 0;      // calls that may go at once; below 1 means wait
    TimePoint refilled{};
    TimePoint not_before{};           // Retry-After
    TimePoint last_refusal{};         // a 429 that taught something
    TimePoint last_decrease{};        // of per_second
    std::deque<TimePoint> successes;  // within the last kWindow
  };

  Pace& PaceOf(const std::string& method);
  void Refill(Pace& pace, TimePoint now) const;
  void ForgetOldSuccesses(Pace& pace, TimePoint now) const;

  const Clock& clock_;
  std::map<std::string, Pace> paces_;
};

// Slack's documented rate-limit tier of a method, in calls per minute (Tier 2: 20, Tier 3: 50,
// Tier 4: 100; auth.test's "special" limit counts as Tier 4).
int TierCallsPerMinute(const std::string& method);

}  // namespace slack_intel::slack
