// The local Ceph S3 server the harness starts is a real one: it checks SigV4 signatures and
// stores bytes under awkward keys. Requests here are signed by libcurl's signer, not ours.

#include <gtest/gtest.h>

#include <string>

#include "support/reference_s3_request.h"
#include "support/s3_test_server.h"

namespace slack_intel::testing {
namespace {

class S3ServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_ = LoadS3TestServer();
    bucket_ = UniqueBucketName(::testing::UnitTest::GetInstance()->current_test_info()->name());
    HttpReply created = ReferenceS3Request(server_, "PUT", "/" + bucket_);
    ASSERT_EQ(created.status, 200) << created.body;
  }

  S3TestServer server_;
  std::string bucket_;
};

TEST_F(S3ServerTest, StoresAndReturnsTheExactBytes) {
  // A hive partition key with '=' (encoded once in the path) and bytes that are not text.
  const std::string body("PAR1\0\x01\xff payload PAR1", 20);
  const std::string path = "/" + bucket_ + "/messages/dt%3D2025-10-21/channel%3Deng/data.parquet";
  HttpReply put = ReferenceS3Request(server_, "PUT", path, body);
  ASSERT_EQ(put.status, 200) << put.body;

  HttpReply get = ReferenceS3Request(server_, "GET", path);
  ASSERT_EQ(get.status, 200) << get.body;
  EXPECT_EQ(get.body, body);

  HttpReply list = ReferenceS3Request(server_, "GET", "/" + bucket_ + "?list-type=2");
  ASSERT_EQ(list.status, 200) << list.body;
  EXPECT_NE(list.body.find("<Key>messages/dt=2025-10-21/channel=eng/data.parquet</Key>"),
            std::string::npos)
      << list.body;
}

TEST_F(S3ServerTest, RejectsAWrongSecret) {
  HttpReply reply = ReferenceS3Request(server_, "PUT", "/" + bucket_ + "/users.parquet", "x",
                                       "not-the-secret-key-000000000000000000000");
  EXPECT_EQ(reply.status, 403);
  EXPECT_EQ(S3ErrorCode(reply.body), "SignatureDoesNotMatch") << reply.body;

  HttpReply missing = ReferenceS3Request(server_, "GET", "/" + bucket_ + "/users.parquet");
  EXPECT_EQ(missing.status, 404) << "the rejected PUT must not have stored anything";
  EXPECT_EQ(S3ErrorCode(missing.body), "NoSuchKey") << missing.body;
}

TEST_F(S3ServerTest, ReportsAMissingBucketAsNoSuchBucket) {
  HttpReply reply = ReferenceS3Request(server_, "GET", "/" + bucket_ + "-missing?list-type=2");
  EXPECT_EQ(reply.status, 404);
  EXPECT_EQ(S3ErrorCode(reply.body), "NoSuchBucket") << reply.body;
}

}  // namespace
}  // namespace slack_intel::testing
