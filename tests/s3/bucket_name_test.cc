#include "s3/bucket_name.h"

#include <gtest/gtest.h>

namespace slack_intel::s3 {
namespace {

TEST(BucketName, AcceptsTheNamesUsersWrite) {
  for (const char* name :
       {"my-slack-data", "company-slack-backups", "a.b.c", "abc", "1-2-3", "prod-slack-data.v2",
        "a23456789012345678901234567890123456789012345678901234567890123"}) {
    EXPECT_TRUE(ValidateBucketName(name).ok()) << name;
  }
}

struct BadName {
  const char* name;
  const char* reason;  // part of the message that tells the user what to fix
};

TEST(BucketName, RejectsBrokenNamesSayingWhichRuleFailed) {
  for (const BadName& bad : {
           BadName{"s3://my-bucket", "--prefix"},
           BadName{"my-bucket/prod", "--prefix"},
           BadName{"ab", "3 to 63"},
           BadName{"a234567890123456789012345678901234567890123456789012345678901234", "3 to 63"},
           BadName{"My-Bucket", "lowercase"},
           BadName{"my_bucket", "lowercase"},
           BadName{"-bucket", "begin and end"},
           BadName{"bucket.", "begin and end"},
           BadName{"my..bucket", "'..'"},
           BadName{"192.168.1.10", "IP address"},
           BadName{"xn--bucket", "xn--"},
           BadName{"bucket-s3alias", "-s3alias"},
       }) {
    Status status = ValidateBucketName(bad.name);
    EXPECT_EQ(status.code(), StatusCode::kInvalidArgument) << bad.name;
    EXPECT_NE(status.message().find(bad.reason), std::string::npos)
        << bad.name << ": " << status.message();
    EXPECT_NE(status.message().find(bad.name), std::string::npos) << status.message();
  }
}

}  // namespace
}  // namespace slack_intel::s3
