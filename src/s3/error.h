#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "util/http/http_client.h"
#include "util/status.h"

namespace slack_intel::s3 {

// An S3 error reply ("Error Responses" in the S3 API reference). <Message> may be empty
// (Ceph RGW sends <Message></Message>), so messages we build never rely on it.
struct S3Error {
  long http_status = 0;
  std::string code;  // "NoSuchBucket", "SlowDown", ... ("" when the body had none)
  std::string message;
  std::string request_id;
  std::string region;  // from <Region> or x-amz-bucket-region: where the bucket really is
};

// Parses an error reply; a body that is not S3 error XML gives an S3Error with only the status
// (and, for HEAD replies, nothing else: they have no body).
S3Error ParseS3Error(const http::Response& response);

// Whether retrying the same request may succeed: 5xx, SlowDown, RequestTimeout, InternalError,
// ServiceUnavailable, 429, and BadDigest or XAmzContentSHA256Mismatch (bytes changed in
// transit). Decided by status and code, never by message text.
bool IsRetryable(const S3Error& error);

// The Status for an error reply that will not be retried: kNotFound (NoSuchBucket, NoSuchKey,
// NoSuchUpload, 404), kPermissionDenied (AccessDenied, 403), kUnauthenticated
// (InvalidAccessKeyId, SignatureDoesNotMatch, ExpiredToken, ...), kResourceExhausted (SlowDown,
// 429), kUnavailable (5xx), else kInvalidArgument. The message is "CODE (HTTP n): message".
Status ToStatus(const S3Error& error);

}  // namespace slack_intel::s3
