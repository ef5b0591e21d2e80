#include "s3/error.h"

#include <fmt/format.h>

#include <pugixml.hpp>

namespace slack_intel::s3 {

S3Error ParseS3Error(const http::Response& response) {
  S3Error error;
  error.http_status = response.status;
  if (auto region = response.header("x-amz-bucket-region")) error.region = *region;
  pugi::xml_document doc;
  if (!response.body.empty() && doc.load_buffer(response.body.data(), response.body.size())) {
    pugi::xml_node e = doc.child("Error");
    error.code = e.child_value("Code");
    error.message = e.child_value("Message");
    error.request_id = e.child_value("RequestId");
    if (std::string region = e.child_value("Region"); !region.empty()) error.region = region;
  }
  return error;
}

bool IsRetryable(const S3Error& e) {
  if (e.code == "SlowDown" || e.code == "RequestTimeout" || e.code == "InternalError" ||
      e.code == "ServiceUnavailable") {
    return true;
  }
  // The bytes S3 received do not match the digests we computed from the file: changed on the
  // way (a flipped bit), so the same bytes sent again go through. A file that changes while it
  // is sent fails every try.
  if (e.code == "BadDigest" || e.code == "XAmzContentSHA256Mismatch") return true;
  return e.http_status >= 500 || e.http_status == 429;
}

Status ToStatus(const S3Error& e) {
  std::string text = e.code.empty() ? fmt::format("HTTP {}", e.http_status)
                                    : fmt::format("{} (HTTP {})", e.code, e.http_status);
  if (!e.message.empty()) text += ": " + e.message;
  const std::string& c = e.code;
  if (c == "NoSuchBucket" || c == "NoSuchKey" || c == "NoSuchUpload" ||
      c == "NoSuchLifecycleConfiguration" || (c.empty() && e.http_status == 404)) {
    return Status::NotFound(text);
  }
  if (c == "InvalidAccessKeyId" || c == "SignatureDoesNotMatch" || c == "ExpiredToken" ||
      c == "TokenRefreshRequired" || c == "InvalidToken" || c == "RequestTimeTooSkewed") {
    return Status::Unauthenticated(text);
  }
  if (c == "AccessDenied" || c == "AllAccessDisabled" || c == "AccountProblem" ||
      (c.empty() && e.http_status == 403)) {
    return Status::PermissionDenied(text);
  }
  if (c == "SlowDown" || e.http_status == 429) return Status::ResourceExhausted(text);
  if (e.http_status >= 500) return Status::Unavailable(text);
  return Status::InvalidArgument(text);
}

}  // namespace slack_intel::s3
