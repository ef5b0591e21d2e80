#include "util/http/retry.h"

#include <fmt/format.h>

#include <charconv>

namespace slack_intel::http {

std::optional<std::chrono::milliseconds> RetryAfter(const Response& response) {
  const std::optional<std::string> value = response.header("retry-after");
  if (!value || value->empty()) return std::nullopt;
  uint64_t seconds = 0;
  const auto [end, error] = std::from_chars(value->data(), value->data() + value->size(), seconds);
  if (error == std::errc::result_out_of_range) return kMaxRetryAfter;
  if (error != std::errc() || end != value->data() + value->size()) return std::nullopt;
  return std::chrono::seconds(std::min<uint64_t>(seconds, kMaxRetryAfter.count()));
}

Status ServerHealth::Check() const {
  std::lock_guard lock(mutex_);
  return down_;
}

Status ServerHealth::MarkDown(const std::string& why) {
  std::lock_guard lock(mutex_);
  if (down_.ok()) down_ = Status::Unavailable(why);
  return down_;
}

Status Retrier::BeforeAttempt() {
  ++attempts_;
  return health_ != nullptr ? health_->Check() : Status::OK();
}

Status Retrier::AfterFailure(const Status& failure) {
  if (failure.code() != StatusCode::kUnavailable)
    return Status(failure.code(), failure.message() + AttemptsNote());
  const int max_attempts = std::max(1, backoff_.policy().max_attempts);
  if (health_ != nullptr) {
    if (Status down = health_->Check(); !down.ok()) return down;
    if (transport_failures_ == 0 || health_->answers() != answers_seen_) {
      transport_failures_ = 0;
      answers_seen_ = health_->answers();
    }
    if (++transport_failures_ >= max_attempts) {
      return health_->MarkDown(
          fmt::format("{} stopped answering: {} tries in a row failed, the last with: {}", server_,
                      transport_failures_, failure.message()));
    }
  }
  if (attempts_ >= max_attempts) return Status(failure.code(), failure.message() + AttemptsNote());
  clock_.SleepFor(backoff_.DelayBeforeRetry(attempts_));
  return Status::OK();
}

void Retrier::Answered() {
  if (health_ != nullptr) health_->Answered();
}

bool Retrier::AfterTransientReply(std::optional<std::chrono::milliseconds> retry_after) {
  if (attempts_ >= std::max(1, backoff_.policy().max_attempts)) return false;
  const std::chrono::milliseconds backoff = backoff_.DelayBeforeRetry(attempts_);
  clock_.SleepFor(std::max(backoff, retry_after.value_or(std::chrono::milliseconds(0))));
  return true;
}

std::string Retrier::AttemptsNote() const {
  return attempts_ > 1 ? fmt::format(" ({} attempts)", attempts_) : "";
}

}  // namespace slack_intel::http
