#pragma once

// AWS Signature Version 4 for request headers ("Authenticating Requests (AWS Signature Version
// 4)" in the S3 API reference; "Create a signed AWS API request" in the IAM guide).

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "aws/credentials.h"
#include "util/http/http_client.h"

namespace slack_intel::aws {

// SigV4's UriEncode: every byte except A-Z a-z 0-9 - . _ ~ becomes %XX (uppercase hex);
// '/' is kept when `encode_slash` is false (object key paths), encoded otherwise.
std::string UriEncode(std::string_view text, bool encode_slash);

struct QueryParam {
  std::string name;   // raw, not encoded
  std::string value;  // raw, not encoded
};

// The canonical query string: names and values UriEncoded, sorted by encoded name then value,
// joined with '&'. The same string goes into the URL, so what is signed is what is sent.
std::string CanonicalQueryString(const std::vector<QueryParam>& params);

// The hex SHA-256 of an empty payload.
inline constexpr std::string_view kEmptyPayloadSha256 =
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

struct SigningRequest {
  std::string_view method;           // "GET"
  std::string_view canonical_uri;    // the encoded path as sent, e.g. "/bucket/a%3Db.parquet"
  std::string_view canonical_query;  // CanonicalQueryString(...) as sent
  std::string_view payload_sha256;   // hex, or "UNSIGNED-PAYLOAD"
  std::string_view region;
  std::string_view service;  // "s3", "sts"
  std::chrono::system_clock::time_point now;
};

// Intermediate results, for tests and for explaining a SignatureDoesNotMatch.
struct Signature {
  std::string canonical_request;
  std::string string_to_sign;
  std::string signature;      // hex
  std::string authorization;  // the Authorization header value
};

// Adds x-amz-date, x-amz-content-sha256 (for s3), x-amz-security-token (with a session token)
// and Authorization to `headers`, signing every header in it. Header names must be lowercase
// and include "host". Thread-safe.
Signature SignRequest(const SigningRequest& request, const Credentials& credentials,
                      std::vector<http::Header>& headers);

// "20130524T000000Z" for `time` (UTC).
std::string AmzDate(std::chrono::system_clock::time_point time);

}  // namespace slack_intel::aws
