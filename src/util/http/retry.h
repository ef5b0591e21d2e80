#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <random>
#include <string>

#include "util/clock.h"
#include "util/http/http_client.h"
#include "util/status.h"

namespace slack_intel::http {

// How often and how patiently to retry a transient failure. One policy for every client (S3,
// Slack, Jira, the credential providers): what counts as transient is each client's to say,
// how to wait and when to stop is Retrier's.
struct RetryPolicy {
  int max_attempts = 5;  // the first try included
  std::chrono::milliseconds base_delay{100};
  std::chrono::milliseconds max_delay{20'000};
};

// The longest wait a server may ask for with Retry-After: a longer one (or a date years
// ahead) is cut to this, so a hostile or confused server cannot hold a run.
inline constexpr std::chrono::seconds kMaxRetryAfter{300};

// The delay a reply asks for (Retry-After in seconds, RFC 9110 10.2.3; the date form counts
// as unknown), at most kMaxRetryAfter. nullopt when absent or unreadable.
std::optional<std::chrono::milliseconds> RetryAfter(const Response& response);

// Exponential backoff with full jitter ("Exponential Backoff And Jitter", AWS Architecture
// Blog): the delay before retry n (n >= 1) is uniform in [0, min(max, base * 2^(n-1))].
// Seeded, so tests are deterministic. Not thread-safe.
class Backoff {
 public:
  // Without a seed, one is drawn at the first retry (std::random_device is dear, and most
  // clients never retry).
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

// Whether a server still answers, shared by every client and worker thread of one run. A
// request whose every attempt failed in transport (refused, reset, timed out), while no
// request got a reply from the server, marks it down for the rest of the run: requests then
// fail at once with one status that says so, instead of each retrying on its own (a sync of
// thousands of files against a dead server would take minutes and print a line per file). A
// burst of resets that other requests outlive marks nothing. Thread-safe.
class ServerHealth {
 public:
  // OK, or (kUnavailable) why the server counts as down.
  Status Check() const;
  bool down() const { return !Check().ok(); }
  // A reply arrived, whatever its status.
  void Answered() { answers_.fetch_add(1, std::memory_order_relaxed); }
  // How many replies arrived so far: a request compares it before and after its failures.
  uint64_t answers() const { return answers_.load(std::memory_order_relaxed); }
  // Marks the server down with `why` (the first caller's reason stays) and returns the status
  // requests end with from now on.
  Status MarkDown(const std::string& why);

 private:
  std::atomic<uint64_t> answers_{0};
  mutable std::mutex mutex_;  // guards down_
  Status down_;               // OK while up
};

// The attempts of one request under a RetryPolicy, with the backoff slept on `clock` between
// them and `health` told of every outcome. Use:
//   Retrier retrier(policy, backoff, clock, health, "127.0.0.1:7480");
//   for (;;) {
//     SLACK_INTEL_RETURN_IF_ERROR(retrier.BeforeAttempt());
//     auto sent = http.Send(request);
//     if (!sent.ok()) {
//       if (Status final = retrier.AfterFailure(sent.status()); !final.ok()) return final;
//       continue;
//     }
//     retrier.Answered();
//     if (transient(*sent) && retrier.AfterTransientReply(RetryAfter(*sent))) continue;
//     ...
//   }
// Not thread-safe: one per request.
class Retrier {
 public:
  // `health` may be null (a request on its own); `server` names it in messages.
  Retrier(Backoff& backoff, const Clock& clock, ServerHealth* health, std::string server)
      : backoff_(backoff), clock_(clock), health_(health), server_(std::move(server)) {}

  // Before every attempt: an error (kUnavailable) when the server already counts as down.
  Status BeforeAttempt();
  // A transport failure (from HttpClient::Send). OK: try again, the backoff was slept. Else
  // what the request ends with: `failure` with the attempts made, or the status saying the
  // server is down (when every attempt failed so and nobody got a reply meanwhile, or another
  // request found it down). Only kUnavailable failures are retried.
  Status AfterFailure(const Status& failure);
  // A reply arrived (any HTTP status).
  void Answered();
  // The reply was a transient refusal (5xx, throttling): true when another attempt may go,
  // after the wait (the backoff, or `retry_after` if longer) was slept.
  bool AfterTransientReply(std::optional<std::chrono::milliseconds> retry_after = std::nullopt);
  // The last attempt does not count (a redirect to another region).
  void Uncount() { --attempts_; }

  int attempts() const { return attempts_; }
  // " (N attempts)" after more than one attempt, else "".
  std::string AttemptsNote() const;

 private:
  Backoff& backoff_;
  const Clock& clock_;
  ServerHealth* health_;
  std::string server_;
  int attempts_ = 0;
  int transport_failures_ = 0;  // in a row, with no reply to anyone since the first
  uint64_t answers_seen_ = 0;   // health_->answers() at the first of them
};

}  // namespace slack_intel::http
