#include "aws/shared_config.h"

#include <gtest/gtest.h>

#include <fstream>

#include "s3/client_config.h"
#include "s3/error.h"
#include "support/temp_dir.h"
#include "util/http/retry.h"
#include "util/ini_file.h"

namespace slack_intel::aws {
namespace {

TEST(IniFile, ParsesSectionsCommentsAndNestedSettings) {
  auto ini = ParseIniFile(
      "# top comment\n[default]\nregion = eu-west-1\n; another comment\n\n[profile dev]\n"
      "AWS_Access_Key_Id=AKIA\r\ns3 =\n  endpoint_url = http://127.0.0.1:9000\n  addressing_style "
      "= path\n"
      "output = json\n",
      "config");
  ASSERT_TRUE(ini.ok()) << ini.status().message();
  EXPECT_EQ((*ini)["default"]["region"], "eu-west-1");
  EXPECT_EQ((*ini)["profile dev"]["aws_access_key_id"], "AKIA");
  EXPECT_EQ((*ini)["profile dev"]["s3.endpoint_url"], "http://127.0.0.1:9000");
  EXPECT_EQ((*ini)["profile dev"]["s3.addressing_style"], "path");
  EXPECT_EQ((*ini)["profile dev"]["output"], "json");
}

TEST(IniFile, MalformedLinesNameTheFileAndLine) {
  auto ini = ParseIniFile("[default]\nregion eu-west-1\n", "/home/u/.aws/config");
  EXPECT_EQ(ini.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(ini.status().message(), "/home/u/.aws/config:2: expected 'key = value'");
  EXPECT_FALSE(ParseIniFile("key = before any section\n", "x").ok());
  EXPECT_FALSE(ParseIniFile("[unclosed\n", "x").ok());
}

class ResolutionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::ofstream(dir_.path() / "config")
        << "[default]\nregion = eu-central-1\n[profile prod]\nregion = us-west-2\nservices = "
           "local\n"
           "[profile minio]\nendpoint_url = http://127.0.0.1:9000\n[services local]\ns3 =\n"
           "  endpoint_url = http://127.0.0.1:7480\n";
    env_["AWS_CONFIG_FILE"] = (dir_.path() / "config").string();
    env_["AWS_SHARED_CREDENTIALS_FILE"] = (dir_.path() / "credentials").string();  // missing: fine
    auto config = SharedConfig::Load(env_);
    ASSERT_TRUE(config.ok()) << config.status().message();
    config_ = std::move(*config);
  }
  testing::TempDir dir_;
  Environment env_;
  SharedConfig config_;
};

TEST_F(ResolutionTest, RegionFollowsFlagThenEnvironmentThenProfile) {
  EXPECT_EQ(ResolveRegion("ap-south-1", env_, config_, "prod"), "ap-south-1");
  EXPECT_EQ(ResolveRegion("", env_, config_, "prod"), "us-west-2");
  EXPECT_EQ(ResolveRegion("", env_, config_, "default"), "eu-central-1");
  EXPECT_EQ(ResolveRegion("", env_, config_, "unknown"), "us-east-1");
  env_["AWS_DEFAULT_REGION"] = "sa-east-1";
  EXPECT_EQ(ResolveRegion("", env_, config_, "prod"), "sa-east-1");
  env_["AWS_REGION"] = "ca-central-1";
  EXPECT_EQ(ResolveRegion("", env_, config_, "prod"), "ca-central-1");
}

TEST_F(ResolutionTest, EndpointFollowsFlagThenS3VariableThenGlobalThenProfile) {
  EXPECT_EQ(ResolveS3Endpoint("", env_, config_, "default"), "");
  EXPECT_EQ(ResolveS3Endpoint("", env_, config_, "minio"), "http://127.0.0.1:9000");
  EXPECT_EQ(ResolveS3Endpoint("", env_, config_, "prod"), "http://127.0.0.1:7480");
  env_["AWS_ENDPOINT_URL"] = "http://global:1";
  EXPECT_EQ(ResolveS3Endpoint("", env_, config_, "minio"), "http://global:1");
  env_["AWS_ENDPOINT_URL_S3"] = "http://s3-only:2";
  EXPECT_EQ(ResolveS3Endpoint("", env_, config_, "minio"), "http://s3-only:2");
  EXPECT_EQ(ResolveS3Endpoint("http://flag:3", env_, config_, "minio"), "http://flag:3");
}

TEST_F(ResolutionTest, ProfileNameFollowsFlagThenAwsProfile) {
  EXPECT_EQ(ResolveProfileName("", env_), "default");
  env_["AWS_PROFILE"] = "prod";
  EXPECT_EQ(ResolveProfileName("", env_), "prod");
  EXPECT_EQ(ResolveProfileName("minio", env_), "minio");
}

TEST_F(ResolutionTest, ClientOptionsComeFromFlagsEnvironmentAndProfile) {
  env_["AWS_ACCESS_KEY_ID"] = "AKIAENV";
  env_["AWS_SECRET_ACCESS_KEY"] = "secret";
  env_["AWS_EC2_METADATA_DISABLED"] = "true";
  std::ofstream(dir_.path() / "config", std::ios::app)
      << "[profile pathy]\ns3 =\n  addressing_style = path\n";
  auto options = s3::ResolveClientOptions({"", "pathy", "", true}, env_);
  ASSERT_TRUE(options.ok()) << options.status().message();
  EXPECT_EQ(options->region, "us-east-1");
  EXPECT_EQ(options->addressing, s3::Addressing::kPath);
  EXPECT_TRUE(options->make_http_client != nullptr);
  options = s3::ResolveClientOptions({"eu-north-1", "prod", "http://127.0.0.1:9", true}, env_);
  ASSERT_TRUE(options.ok());
  EXPECT_EQ(options->region, "eu-north-1");
  EXPECT_EQ(options->endpoint_url, "http://127.0.0.1:9");
  // --profile wins over environment credentials; "prod" has no keys, so the chain says so.
  auto credentials = options->credentials->Get();
  EXPECT_EQ(credentials.status().code(), StatusCode::kUnauthenticated);
  EXPECT_EQ(s3::ResolveClientOptions({"", "missing", "", true}, env_).status().code(),
            StatusCode::kInvalidArgument);
}

TEST(S3Errors, ClassifiedByStatusAndCodeNotMessage) {
  auto status_of = [](long http, const char* body) {
    http::Response r;
    r.status = http;
    r.body = body;
    return s3::ToStatus(s3::ParseS3Error(r)).code();
  };
  EXPECT_EQ(status_of(404, "<Error><Code>NoSuchBucket</Code><Message></Message></Error>"),
            StatusCode::kNotFound);
  EXPECT_EQ(status_of(403, "<Error><Code>AccessDenied</Code></Error>"),
            StatusCode::kPermissionDenied);
  EXPECT_EQ(status_of(403, "<Error><Code>SignatureDoesNotMatch</Code></Error>"),
            StatusCode::kUnauthenticated);
  EXPECT_EQ(status_of(400, "<Error><Code>ExpiredToken</Code></Error>"),
            StatusCode::kUnauthenticated);
  EXPECT_EQ(status_of(503, "<Error><Code>SlowDown</Code></Error>"), StatusCode::kResourceExhausted);
  EXPECT_EQ(status_of(500, "not xml at all"), StatusCode::kUnavailable);
  EXPECT_EQ(status_of(403, ""), StatusCode::kPermissionDenied);  // HEAD replies have no body
  EXPECT_EQ(
      status_of(400, "<Error><Code>InvalidPart</Code><Message>AccessDenied</Message></Error>"),
      StatusCode::kInvalidArgument);
  http::Response slow;
  slow.status = 503;
  slow.body = "<Error><Code>SlowDown</Code></Error>";
  EXPECT_TRUE(s3::IsRetryable(s3::ParseS3Error(slow)));
  http::Response timeout;
  timeout.status = 400;
  timeout.body = "<Error><Code>RequestTimeout</Code></Error>";
  EXPECT_TRUE(s3::IsRetryable(s3::ParseS3Error(timeout)));
  http::Response denied;
  denied.status = 403;
  denied.body = "<Error><Code>AccessDenied</Code><Message>SlowDown</Message></Error>";
  EXPECT_FALSE(s3::IsRetryable(s3::ParseS3Error(denied)));
}

TEST(S3Errors, RegionComesFromTheBodyOrTheHeader) {
  http::Response r;
  r.status = 400;
  r.body = "<Error><Code>AuthorizationHeaderMalformed</Code><Region>eu-west-1</Region></Error>";
  EXPECT_EQ(s3::ParseS3Error(r).region, "eu-west-1");
  http::Response head;
  head.status = 301;
  head.headers = {{"x-amz-bucket-region", "ap-southeast-2"}};
  EXPECT_EQ(s3::ParseS3Error(head).region, "ap-southeast-2");
}

TEST(Backoff, FullJitterStaysUnderAGrowingCapAndTheMaximum) {
  http::Backoff backoff({5, std::chrono::milliseconds(100), std::chrono::milliseconds(1000)}, 7);
  for (int retry = 1; retry <= 10; ++retry) {
    const auto cap = std::min<int64_t>(1000, int64_t{100} << (retry - 1));
    for (int i = 0; i < 50; ++i) {
      const auto delay = backoff.DelayBeforeRetry(retry).count();
      EXPECT_GE(delay, 0);
      EXPECT_LE(delay, cap);
    }
  }
}

}  // namespace
}  // namespace slack_intel::aws
