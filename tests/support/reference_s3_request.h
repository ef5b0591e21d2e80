#pragma once

#include <string>
#include <string_view>

#include "support/s3_test_server.h"

namespace slack_intel::testing {

struct HttpReply {
  long status = 0;  // 0 when no HTTP reply arrived
  std::string body;
};

// Sends one S3 request to `server`, SigV4-signed by libcurl's own signer (CURLOPT_AWS_SIGV4),
// not by our code: an independent reference for checking the server and, later, our client.
// `path` is already URI-encoded ("/bucket/key%3Dvalue"). `secret_key` overrides the server's
// secret when not empty (to provoke SignatureDoesNotMatch).
HttpReply ReferenceS3Request(const S3TestServer& server, std::string_view method,
                             std::string_view path, std::string_view body = {},
                             std::string_view secret_key = {});

// The text of the first <Code> element of an S3 error body, or "" when there is none.
std::string S3ErrorCode(std::string_view body);

}  // namespace slack_intel::testing
