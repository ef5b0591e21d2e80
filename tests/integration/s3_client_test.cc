// Our S3 client (SigV4 over libcurl) against the local Ceph RADOS Gateway: every operation,
// awkward keys, errors users see, retries and multipart semantics.

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <random>

#include "util/digest.h"
#include "s3/client.h"
#include "support/fake_clock.h"
#include "support/faulty_http_client.h"
#include "support/files.h"
#include "support/reference_s3_request.h"
#include "support/s3_test_server.h"
#include "support/temp_dir.h"
#include "util/http/socket_http_client.h"

namespace slack_intel::testing {
namespace {

class S3ClientTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_ = LoadS3TestServer();
    bucket_ = UniqueBucketName(::testing::UnitTest::GetInstance()->current_test_info()->name());
    HttpReply created = ReferenceS3Request(server_, "PUT", "/" + bucket_);
    ASSERT_EQ(created.status, 200) << created.body;
  }

  s3::ClientOptions Options(const std::string& secret = "") const {
    s3::ClientOptions options;
    options.endpoint_url = server_.endpoint;
    options.region = server_.region;
    options.credentials = aws::MakeStaticProvider(
        {server_.access_key, secret.empty() ? server_.secret_key : secret, "", {}, "test"});
    options.retry.base_delay = std::chrono::milliseconds(1);
    return options;
  }

  std::string WriteTempFile(const std::string& name, const std::string& bytes) {
    const auto path = dir_.path() / name;
    std::ofstream(path, std::ios::binary) << bytes;
    return path.string();
  }

  S3TestServer server_;
  std::string bucket_;
  TempDir dir_;
};

TEST_F(S3ClientTest, PutThenGetReturnsTheBytesAndTheMd5ETag) {
  s3::Client client(Options());
  const std::string body("PAR1\0\xff binary payload", 20);
  const std::string file = WriteTempFile("upload.bin", body);
  auto put = client.PutObject(bucket_, "users.parquet", http::FileRange{file, 0, body.size()}, {});
  ASSERT_TRUE(put.ok()) << put.status().message();
  EXPECT_EQ(put->etag, HexEncode(Md5(body)));
  const auto out = dir_.path() / "download.bin";
  ASSERT_TRUE(client.GetObject(bucket_, "users.parquet", out).ok());
  EXPECT_EQ(ReadFileBytes(out), body);
  // An independent signer sees the same object.
  EXPECT_EQ(ReferenceS3Request(server_, "GET", "/" + bucket_ + "/users.parquet").body, body);
}

TEST_F(S3ClientTest, AwkwardKeysRoundTripThroughPutListAndGet) {
  s3::Client client(Options());
  std::vector<std::string> keys = {"messages/dt=2025-10-21/channel=engineering/data.parquet",
                                   "messages/dt=2025-10-21/channel=dev ops/data.parquet",
                                   "messages/dt=2025-10-21/channel=α-日本-🌍/data.parquet",
                                   "messages/plus+sign, comma;semi:colon/x",
                                   "messages/percent%20literal/x",
                                   "messages/quote'double\"/x",
                                   "messages/hash#question?amp&/x",
                                   "messages/tilde~at@dollar$/x",
                                   "messages/(paren)[bracket]{brace}/x",
                                   "messages/equals=/x"};
  for (const std::string& key : keys) {
    auto put = client.PutObject(bucket_, key, std::string("body of ") + key, {});
    ASSERT_TRUE(put.ok()) << key << ": " << put.status().message();
  }
  auto page = client.ListObjectsV2(bucket_, "messages/");
  ASSERT_TRUE(page.ok()) << page.status().message();
  std::vector<std::string> listed;
  for (const auto& o : page->objects) listed.push_back(o.key);
  std::vector<std::string> sorted = keys;
  std::sort(sorted.begin(), sorted.end());
  EXPECT_EQ(listed, sorted);
  for (const std::string& key : keys) {
    const auto out = dir_.path() / "get.bin";
    ASSERT_TRUE(client.GetObject(bucket_, key, out).ok()) << key;
    EXPECT_EQ(ReadFileBytes(out), "body of " + key);
  }
}

TEST_F(S3ClientTest, ListingPagesWithOpaqueContinuationTokens) {
  s3::Client client(Options());
  for (int i = 0; i < 25; ++i)
    ASSERT_TRUE(client.PutObject(bucket_, fmt::format("p/{:03}", i), "x", {}).ok());
  ASSERT_TRUE(client.PutObject(bucket_, "q/outside-prefix", "x", {}).ok());
  std::vector<std::string> keys;
  std::string token;
  int pages = 0;
  do {
    auto page = client.ListObjectsV2(bucket_, "p/", token, "", 10);
    ASSERT_TRUE(page.ok()) << page.status().message();
    for (const auto& o : page->objects) keys.push_back(o.key);
    token = page->is_truncated ? page->next_continuation_token : "";
    ++pages;
  } while (!token.empty());
  EXPECT_EQ(pages, 3);
  ASSERT_EQ(keys.size(), 25u);
  EXPECT_EQ(keys.front(), "p/000");
  EXPECT_EQ(keys.back(), "p/024");
}

TEST_F(S3ClientTest, DelimiterGivesCommonPrefixes) {
  s3::Client client(Options());
  for (const char* key :
       {"messages/dt=2025-10-20/a", "messages/dt=2025-10-21/b", "users.parquet"}) {
    ASSERT_TRUE(client.PutObject(bucket_, key, "x", {}).ok());
  }
  auto page = client.ListObjectsV2(bucket_, "messages/", "", "/");
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->common_prefixes,
            (std::vector<std::string>{"messages/dt=2025-10-20/", "messages/dt=2025-10-21/"}));
}

TEST_F(S3ClientTest, WrongSecretIsUnauthenticatedAndNeverPrinted) {
  const std::string secret = "wrong-secret-key-0000000000000000000000000";
  s3::Client client(Options(secret));
  auto put = client.PutObject(bucket_, "k", "x", {});
  ASSERT_FALSE(put.ok());
  EXPECT_EQ(put.status().code(), StatusCode::kUnauthenticated);
  const std::string message = put.status().message();
  EXPECT_NE(message.find("SignatureDoesNotMatch"), std::string::npos) << message;
  EXPECT_NE(message.find("check the secret access key"), std::string::npos) << message;
  EXPECT_NE(message.find("PUT s3://" + bucket_ + "/k"), std::string::npos) << message;
  EXPECT_EQ(message.find(secret), std::string::npos) << "secret leaked: " << message;
  EXPECT_NE(message.find("agrees with the server's"), std::string::npos) << message;
  EXPECT_EQ(message.find(server_.access_key), std::string::npos)
      << "whole key id printed: " << message;
}

TEST_F(S3ClientTest, MissingBucketAndKeyAreNotFound) {
  s3::Client client(Options());
  Status bucket = client.HeadBucket(bucket_ + "-missing");
  EXPECT_EQ(bucket.code(), StatusCode::kNotFound) << bucket.message();
  auto list = client.ListObjectsV2(bucket_ + "-missing", "");
  EXPECT_EQ(list.status().code(), StatusCode::kNotFound);
  EXPECT_NE(list.status().message().find("bucket " + bucket_ + "-missing in region"),
            std::string::npos)
      << list.status().message();
  EXPECT_EQ(client.GetObject(bucket_, "nope", dir_.path() / "x").status().code(),
            StatusCode::kNotFound);
  EXPECT_TRUE(client.HeadBucket(bucket_).ok());
}

TEST_F(S3ClientTest, MultipartUploadAssemblesPartsAndReportsAPartCountETag) {
  s3::Client client(Options());
  std::string bytes(6 * 1024 * 1024 + 123, '\0');
  std::mt19937 random(5);
  for (char& c : bytes) c = static_cast<char>(random());
  const std::string file = WriteTempFile("big.bin", bytes);
  auto upload_id = client.CreateMultipartUpload(bucket_, "big/data.parquet", {});
  ASSERT_TRUE(upload_id.ok()) << upload_id.status().message();
  const uint64_t part_size = 5 * 1024 * 1024;
  auto part1 = client.UploadPart(bucket_, "big/data.parquet", *upload_id, 1, {file, 0, part_size});
  auto part2 = client.UploadPart(bucket_, "big/data.parquet", *upload_id, 2,
                                 {file, part_size, bytes.size() - part_size});
  ASSERT_TRUE(part1.ok() && part2.ok());
  auto done = client.CompleteMultipartUpload(bucket_, "big/data.parquet", *upload_id,
                                             {{1, *part1}, {2, *part2}});
  ASSERT_TRUE(done.ok()) << done.status().message();
  // The multipart ETag is md5(md5(part1) + md5(part2)) + "-2", not the content MD5.
  const std::string expected = HexEncode(Md5(Md5(bytes.substr(0, part_size)) +
                                                       Md5(bytes.substr(part_size)))) +
                               "-2";
  EXPECT_EQ(done->etag, expected);
  const auto out = dir_.path() / "big.out";
  ASSERT_TRUE(client.GetObject(bucket_, "big/data.parquet", out).ok());
  EXPECT_TRUE(ReadFileBytes(out) == bytes);
}

TEST_F(S3ClientTest, AbortLeavesNoUploadBehindAndBadCompletesFail) {
  s3::Client client(Options());
  const std::string file = WriteTempFile("part.bin", std::string(1024, 'p'));
  auto upload_id = client.CreateMultipartUpload(bucket_, "k", {});
  ASSERT_TRUE(upload_id.ok());
  ASSERT_TRUE(client.UploadPart(bucket_, "k", *upload_id, 1, {file, 0, 1024}).ok());
  auto listed = client.ListMultipartUploads(bucket_, "");
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ((*listed)[0].upload_id, *upload_id);
  // Completing with an ETag that is not the part's must fail, not produce an object.
  auto bad = client.CompleteMultipartUpload(bucket_, "k", *upload_id,
                                            {{1, "00000000000000000000000000000000"}});
  EXPECT_FALSE(bad.ok());
  ASSERT_TRUE(client.AbortMultipartUpload(bucket_, "k", *upload_id).ok());
  listed = client.ListMultipartUploads(bucket_, "");
  ASSERT_TRUE(listed.ok());
  EXPECT_TRUE(listed->empty());
  EXPECT_EQ(client.GetObject(bucket_, "k", dir_.path() / "k").status().code(),
            StatusCode::kNotFound);
}

TEST_F(S3ClientTest, DeleteObjectsRemovesKeysInOneRequest) {
  s3::Client client(Options());
  std::vector<std::string> keys;
  for (int i = 0; i < 30; ++i) {
    keys.push_back(fmt::format("old/dt=2024-01-{:02}/data.parquet", i + 1));
    ASSERT_TRUE(client.PutObject(bucket_, keys.back(), "x", {}).ok());
  }
  keys.push_back("old/never-existed");
  auto failures = client.DeleteObjects(bucket_, keys);
  ASSERT_TRUE(failures.ok()) << failures.status().message();
  EXPECT_TRUE(failures->empty());
  auto page = client.ListObjectsV2(bucket_, "old/");
  ASSERT_TRUE(page.ok());
  EXPECT_TRUE(page->objects.empty());
}

TEST_F(S3ClientTest, MetadataAndContentTypeAreStored) {
  s3::Client client(Options());
  s3::PutOptions options;
  options.content_type = "application/vnd.apache.parquet";
  options.metadata = {{"slack-intel-sha256", "abc123"}};
  ASSERT_TRUE(client.PutObject(bucket_, "m", "x", options).ok());
  HttpReply head = ReferenceS3Request(server_, "HEAD", "/" + bucket_ + "/m");
  EXPECT_EQ(head.status, 200);
}

TEST_F(S3ClientTest, RetriesTransientFailuresWithBackoffThenSucceeds) {
  auto calls = std::make_shared<std::atomic<int>>(0);
  FakeClock clock;
  s3::ClientOptions options = Options();
  options.clock = &clock;
  options.make_http_client = [calls] {
    return std::make_unique<FaultyHttpClient>(
        http::MakeHttpClient(),
        [](int index, const http::Request&) -> std::optional<Result<http::Response>> {
          if (index == 0)
            return Result<http::Response>(Status::Unavailable("connection reset by peer"));
          if (index == 1) {
            http::Response slow_down;
            slow_down.status = 503;
            slow_down.body = "<Error><Code>SlowDown</Code><Message></Message></Error>";
            return Result<http::Response>(slow_down);
          }
          return std::nullopt;
        },
        calls);
  };
  s3::Client client(options);
  auto put = client.PutObject(bucket_, "retried", "payload", {});
  ASSERT_TRUE(put.ok()) << put.status().message();
  EXPECT_EQ(calls->load(), 3);
  EXPECT_EQ(clock.sleeps().size(), 2u);
}

TEST_F(S3ClientTest, GivesUpAfterMaxAttemptsNamingTheCount) {
  auto calls = std::make_shared<std::atomic<int>>(0);
  FakeClock clock;
  s3::ClientOptions options = Options();
  options.clock = &clock;
  options.retry.max_attempts = 4;
  options.make_http_client = [calls] {
    return std::make_unique<FaultyHttpClient>(
        http::MakeHttpClient(), AlwaysAnswer(503, "<Error><Code>SlowDown</Code></Error>"),
        calls);
  };
  s3::Client client(options);
  auto put = client.PutObject(bucket_, "never", "payload", {});
  EXPECT_EQ(put.status().code(), StatusCode::kResourceExhausted);
  EXPECT_NE(put.status().message().find("SlowDown (HTTP 503) (4 attempts)"), std::string::npos)
      << put.status().message();
  EXPECT_EQ(calls->load(), 4);
}

TEST_F(S3ClientTest, AccessDeniedIsNotRetried) {
  auto calls = std::make_shared<std::atomic<int>>(0);
  FakeClock clock;
  s3::ClientOptions options = Options();
  options.clock = &clock;
  options.make_http_client = [calls] {
    return std::make_unique<FaultyHttpClient>(
        http::MakeHttpClient(),
        AlwaysAnswer(403,
                     "<Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>"),
        calls);
  };
  s3::Client client(options);
  auto put = client.PutObject(bucket_, "denied", "payload", {});
  EXPECT_EQ(put.status().code(), StatusCode::kPermissionDenied);
  EXPECT_NE(put.status().message().find(
                "as CEPH…Y001 from test; the IAM policy must allow s3:PutObject on "
                "arn:aws:s3:::" +
                bucket_ + "/denied"),
            std::string::npos)
      << put.status().message();
  EXPECT_EQ(calls->load(), 1);
  EXPECT_TRUE(clock.sleeps().empty());
}

}  // namespace
}  // namespace slack_intel::testing

#include "s3/transfer.h"

namespace slack_intel::testing {
namespace {

class S3TransferTest : public S3ClientTest {};

TEST_F(S3TransferTest, LargeFilesGoUpInParallelPartsSmallOnesInOnePut) {
  std::string bytes(17 * 1024 * 1024 + 5, '\0');
  std::mt19937 random(9);
  for (char& c : bytes) c = static_cast<char>(random());
  const std::string file = WriteTempFile("big.bin", bytes);
  s3::UploadOptions upload;
  upload.part_size_bytes = 5 * 1024 * 1024;
  upload.concurrency = 3;
  s3::Client client(Options());
  auto put = s3::UploadFile(client, Options(), bucket_, "big/data.parquet", file, upload);
  ASSERT_TRUE(put.ok()) << put.status().message();
  EXPECT_TRUE(put->etag.ends_with("-4")) << put->etag;
  const auto out = dir_.path() / "big.out";
  ASSERT_TRUE(client.GetObject(bucket_, "big/data.parquet", out).ok());
  EXPECT_TRUE(ReadFileBytes(out) == bytes);

  const std::string small = WriteTempFile("small.bin", "small file");
  auto single = s3::UploadFile(client, Options(), bucket_, "users.parquet", small, upload);
  ASSERT_TRUE(single.ok());
  EXPECT_EQ(single->etag, HexEncode(Md5("small file")));
}

TEST_F(S3TransferTest, AFailedPartAbortsTheUploadAndLeavesNothingBehind) {
  const std::string file = WriteTempFile("big.bin", std::string(11 * 1024 * 1024, 'x'));
  s3::ClientOptions options = Options();
  options.retry.max_attempts = 2;
  // Every request for part 2 is refused, as a policy denying this key might.
  options.make_http_client = [] {
    return std::make_unique<FaultyHttpClient>(
        http::MakeHttpClient(),
        [](int, const http::Request& request) -> std::optional<Result<http::Response>> {
          if (request.url.find("partNumber=2&") == std::string::npos) return std::nullopt;
          http::Response denied;
          denied.status = 403;
          denied.body = "<Error><Code>AccessDenied</Code></Error>";
          return Result<http::Response>(denied);
        },
        std::make_shared<std::atomic<int>>(0));
  };
  s3::UploadOptions upload;
  upload.part_size_bytes = 5 * 1024 * 1024;
  s3::Client uploader(options);
  auto put = s3::UploadFile(uploader, options, bucket_, "big/data.parquet", file, upload);
  ASSERT_FALSE(put.ok());
  EXPECT_EQ(put.status().code(), StatusCode::kPermissionDenied);
  EXPECT_NE(put.status().message().find("part 2 of 3"), std::string::npos)
      << put.status().message();
  s3::Client client(Options());
  auto uploads = client.ListMultipartUploads(bucket_, "");
  ASSERT_TRUE(uploads.ok());
  EXPECT_TRUE(uploads->empty()) << "stray multipart upload left behind";
  EXPECT_EQ(client.GetObject(bucket_, "big/data.parquet", dir_.path() / "x").status().code(),
            StatusCode::kNotFound);
}

TEST_F(S3TransferTest, ARegionRedirectIsFollowedOnceAndRemembered) {
  auto calls = std::make_shared<std::atomic<int>>(0);
  s3::ClientOptions options = Options();
  options.region = "us-west-2";
  // The first reply says the bucket lives in eu-west-1, as S3 does with a 301 and
  // x-amz-bucket-region; Ceph accepts any region, so the redone request succeeds.
  options.make_http_client = [calls] {
    return std::make_unique<FaultyHttpClient>(
        http::MakeHttpClient(),
        [](int index, const http::Request&) -> std::optional<Result<http::Response>> {
          if (index != 0) return std::nullopt;
          http::Response moved;
          moved.status = 301;
          moved.headers = {{"x-amz-bucket-region", "eu-west-1"}};
          moved.body = "<Error><Code>PermanentRedirect</Code><Message></Message></Error>";
          return Result<http::Response>(moved);
        },
        calls);
  };
  s3::Client client(options);
  ASSERT_TRUE(client.PutObject(bucket_, "k", "x", {}).ok());
  EXPECT_EQ(client.RegionFor(bucket_), "eu-west-1");
  EXPECT_EQ(calls->load(), 2);
}

TEST_F(S3TransferTest, CompleteThatAnswers200WithAnErrorBodyIsRetried) {
  auto calls = std::make_shared<std::atomic<int>>(0);
  s3::ClientOptions options = Options();
  FakeClock clock;
  options.clock = &clock;
  // "CompleteMultipartUpload": S3 may answer 200 and put an error in the body.
  options.make_http_client = [calls] {
    return std::make_unique<FaultyHttpClient>(
        http::MakeHttpClient(),
        [calls](int, const http::Request& request) -> std::optional<Result<http::Response>> {
          static std::atomic<bool> injected{false};
          if (request.method != "POST" || request.url.find("uploadId=") == std::string::npos ||
              injected.exchange(true)) {
            return std::nullopt;
          }
          http::Response r;
          r.status = 200;
          r.body =
              "<?xml version=\"1.0\"?><Error><Code>InternalError</Code><Message></Message></Error>";
          return Result<http::Response>(r);
        },
        calls);
  };
  s3::Client client(options);
  const std::string file = WriteTempFile("p.bin", std::string(100, 'z'));
  auto id = client.CreateMultipartUpload(bucket_, "k", {});
  ASSERT_TRUE(id.ok());
  auto part = client.UploadPart(bucket_, "k", *id, 1, {file, 0, 100});
  ASSERT_TRUE(part.ok());
  auto done = client.CompleteMultipartUpload(bucket_, "k", *id, {{1, *part}});
  ASSERT_TRUE(done.ok()) << done.status().message();
  EXPECT_EQ(clock.sleeps().size(), 1u) << "the 200-with-error reply must be retried";
  EXPECT_TRUE(done->etag.ends_with("-1")) << done->etag;
}

TEST(EffectivePartSize, RespectsTheMinimumAndTheTenThousandPartLimit) {
  EXPECT_EQ(s3::EffectivePartSize(100, 1), s3::kMinPartSizeBytes);
  EXPECT_EQ(s3::EffectivePartSize(100ull << 20, 8ull << 20), 8ull << 20);
  const uint64_t huge = 200ull << 30;  // 200 GiB at 8 MiB would be 25,600 parts
  EXPECT_LE((huge + s3::EffectivePartSize(huge, 8ull << 20) - 1) /
                s3::EffectivePartSize(huge, 8ull << 20),
            s3::kMaxParts);
}

}  // namespace
}  // namespace slack_intel::testing
