#pragma once

#include <string>
#include <string_view>
#include <utility>

namespace slack_intel {

// What went wrong, coarse enough for callers to branch on (retry, skip, give up).
// Add a code only when some caller will branch on it (STYLE.md section 4).
enum class StatusCode {
  kOk = 0,
  kInvalidArgument,     // the caller's input is wrong: a flag, a path, a date
  kNotFound,            // a file, key, channel or bucket that does not exist
  kPermissionDenied,    // authenticated, but not allowed (S3 AccessDenied, Slack missing_scope)
  kUnauthenticated,     // no, wrong or expired credentials
  kFailedPrecondition,  // the state does not allow it (Slack not_in_channel)
  kResourceExhausted,   // rate limited (Slack 429, S3 SlowDown) after our own retries
  kUnavailable,         // transient network failure or 5xx after our own retries
  kCorruption,          // bad bytes in a file or a response
  kIOError,             // local disk
  kCancelled,           // stopped on purpose (another task failed, a signal)
  kInternal,            // a bug of ours
};

// Short lowercase name of a code, e.g. "corruption". Never empty.
std::string_view StatusCodeName(StatusCode code);

// The outcome of an operation that returns no value: OK, or a code and a one-line message.
// Cheap to copy when OK. Not thread-safe to mutate; safe to read from several threads.
class [[nodiscard]] Status {
 public:
  Status() = default;  // OK
  Status(StatusCode code, std::string message) : code_(code), message_(std::move(message)) {}

  static Status OK() { return Status(); }
  static Status InvalidArgument(std::string msg) {
    return {StatusCode::kInvalidArgument, std::move(msg)};
  }
  static Status NotFound(std::string msg) { return {StatusCode::kNotFound, std::move(msg)}; }
  static Status PermissionDenied(std::string msg) {
    return {StatusCode::kPermissionDenied, std::move(msg)};
  }
  static Status Unauthenticated(std::string msg) {
    return {StatusCode::kUnauthenticated, std::move(msg)};
  }
  static Status FailedPrecondition(std::string msg) {
    return {StatusCode::kFailedPrecondition, std::move(msg)};
  }
  static Status ResourceExhausted(std::string msg) {
    return {StatusCode::kResourceExhausted, std::move(msg)};
  }
  static Status Unavailable(std::string msg) { return {StatusCode::kUnavailable, std::move(msg)}; }
  static Status Corruption(std::string msg) { return {StatusCode::kCorruption, std::move(msg)}; }
  static Status IOError(std::string msg) { return {StatusCode::kIOError, std::move(msg)}; }
  static Status Cancelled(std::string msg) { return {StatusCode::kCancelled, std::move(msg)}; }
  static Status Internal(std::string msg) { return {StatusCode::kInternal, std::move(msg)}; }

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }

  // The same status with "context: " in front of its message, so that an error crossing
  // several layers reads like a path ("sync: upload KEY: s3 PUT: 503 SlowDown").
  // An OK status stays OK.
  Status WithContext(std::string_view context) const;

  // "OK", or the message alone (the code is for programs; people read the message).
  std::string ToString() const;

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
};

}  // namespace slack_intel

#define SLACK_INTEL_CONCAT_INNER_(a, b) a##b
#define SLACK_INTEL_CONCAT_(a, b) SLACK_INTEL_CONCAT_INNER_(a, b)

// Returns from the enclosing function when `expr` (a Status) is not OK. The variable name is
// unique per use, so `expr` may itself hold a lambda that uses the macro.
#define SLACK_INTEL_RETURN_IF_ERROR(expr) \
  SLACK_INTEL_RETURN_IF_ERROR_IMPL_(SLACK_INTEL_CONCAT_(slack_intel_status_, __COUNTER__), expr)
#define SLACK_INTEL_RETURN_IF_ERROR_IMPL_(status, expr) \
  do {                                                  \
    ::slack_intel::Status status = (expr);              \
    if (!status.ok()) return status;                    \
  } while (false)
