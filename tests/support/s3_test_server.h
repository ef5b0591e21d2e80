#pragma once

#include <string>
#include <string_view>

namespace slack_intel::testing {

// The local Ceph RADOS Gateway that CTest's `s3_server` fixture starts for integration and
// e2e tests (tools/ceph-rgw/start.sh). Its endpoint and keys are read from the env file named
// by SLACK_INTEL_TEST_S3_ENV.
struct S3TestServer {
  std::string endpoint;  // "http://127.0.0.1:PORT", path-style
  std::string access_key;
  std::string secret_key;
  std::string region;
};

// Loads the running server's settings. Throws std::runtime_error naming what is missing, so a
// test whose server is absent fails instead of skipping.
S3TestServer LoadS3TestServer();

// A bucket name that is valid for S3, unique to this process and call, and says which test
// made it: "si-<test>-<pid>-<n>", lowercased, 63 characters at most.
std::string UniqueBucketName(std::string_view test_name);

}  // namespace slack_intel::testing
