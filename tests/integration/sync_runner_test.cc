// RunSync against the local Ceph S3 server through a transport that fails on cue: what a
// network lost mid-upload, or a server asking to slow down, does to a sync.

#include "sync/sync_runner.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <fstream>
#include <string>

#include "s3/client.h"
#include "support/fake_clock.h"
#include "support/faulty_http_client.h"
#include "support/reference_s3_request.h"
#include "support/s3_test_server.h"
#include "support/temp_dir.h"
#include "util/http/curl_http_client.h"

namespace slack_intel::testing {
namespace {

namespace fs = std::filesystem;

class SyncRunnerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_ = LoadS3TestServer();
    bucket_ = UniqueBucketName(::testing::UnitTest::GetInstance()->current_test_info()->name());
    ASSERT_EQ(ReferenceS3Request(server_, "PUT", "/" + bucket_).status, 200);
    cache_ = dir_.path() / "cache";
    for (int i = 0; i < 4; ++i) Write(fmt::format("raw/jira/dt=2025-10-2{}/data.bin", i), 1000 + i);
    Write("raw/messages/dt=2025-10-21/channel=big/data.bin", 12 << 20);  // 3 parts of 5 MiB
    settings_.cache_path = cache_;
    settings_.bucket = bucket_;
    settings_.prefix = "prod/";
    settings_.concurrency = 1;
    settings_.upload.concurrency = 1;
    settings_.upload.multipart_threshold_bytes = 5 << 20;
    settings_.upload.part_size_bytes = 5 << 20;
  }

  void Write(const std::string& relative, size_t size) {
    fs::create_directories((cache_ / relative).parent_path());
    std::string bytes(size, '\0');
    for (size_t i = 0; i < size; ++i) bytes[i] = static_cast<char>((i * 2654435761u + size) >> 11);
    std::ofstream(cache_ / relative, std::ios::binary) << bytes;
  }

  s3::ClientOptions Options() const {
    s3::ClientOptions options;
    options.endpoint_url = server_.endpoint;
    options.region = server_.region;
    options.credentials =
        aws::MakeStaticProvider({server_.access_key, server_.secret_key, "", {}, "test"});
    options.retry.max_attempts = 3;
    options.clock = &clock_;  // retries do not really sleep
    return options;
  }

  // Every object under the prefix holds exactly its local file's bytes; returns how many.
  size_t CheckObjectsAreWholeFiles() {
    s3::Client client(Options());
    auto page = client.ListObjectsV2(bucket_, "prod/");
    EXPECT_TRUE(page.ok()) << page.status().message();
    if (!page.ok()) return 0;
    for (const s3::ObjectSummary& object : page->objects) {
      const std::string key = object.key.substr(5);
      const fs::path local = cache_ / (key.find('/') == std::string::npos ? key : "raw/" + key);
      std::ifstream in(local, std::ios::binary);
      const std::string want((std::istreambuf_iterator<char>(in)),
                             std::istreambuf_iterator<char>());
      std::string path = "/" + bucket_ + "/";
      for (char c : object.key) path += c == '=' ? std::string("%3D") : std::string(1, c);
      const std::string got = ReferenceS3Request(server_, "GET", path).body;
      EXPECT_TRUE(got == want) << object.key << " is not the whole file: " << got.size()
                               << " bytes, want " << want.size();
    }
    return page->objects.size();
  }

  size_t OpenMultipartUploads() {
    s3::Client client(Options());
    auto uploads = client.ListMultipartUploads(bucket_, "");
    EXPECT_TRUE(uploads.ok());
    return uploads.ok() ? uploads->size() : 0;
  }

  FakeClock clock_;
  S3TestServer server_;
  std::string bucket_;
  TempDir dir_;
  fs::path cache_;
  sync::SyncSettings settings_;
};

TEST_F(SyncRunnerTest, ANetworkLostMidUploadLeavesNoPartialObjectAndTheRerunConverges) {
  // The network goes away while the second part of the big file is on its way, for good: the
  // abort cannot reach the server either, so the journal must remember the upload.
  auto calls = std::make_shared<std::atomic<int>>(0);
  auto gone = std::make_shared<std::atomic<bool>>(false);
  s3::ClientOptions broken = Options();
  broken.make_http_client = [calls, gone] {
    return std::make_unique<FaultyHttpClient>(
        http::MakeCurlHttpClient(),
        [gone](int, const http::Request& request) -> std::optional<Result<http::Response>> {
          if (request.url.find("partNumber=2") != std::string::npos) *gone = true;
          if (*gone) return Result<http::Response>(Status::Unavailable("network is unreachable"));
          return std::nullopt;
        },
        calls);
  };
  auto first = sync::RunSync(settings_, broken, [](const sync::SyncEvent&) {});
  ASSERT_TRUE(first.ok()) << first.status().message();
  EXPECT_GE(first->failed, 1u);
  CheckObjectsAreWholeFiles();
  EXPECT_EQ(OpenMultipartUploads(), 1u) << "the interrupted upload could not be aborted";

  auto second = sync::RunSync(settings_, Options(), [](const sync::SyncEvent&) {});
  ASSERT_TRUE(second.ok()) << second.status().message();
  EXPECT_EQ(second->failed, 0u);
  EXPECT_EQ(CheckObjectsAreWholeFiles(), 5u);
  EXPECT_EQ(OpenMultipartUploads(), 0u) << "the rerun aborted the stray upload";
  auto third = sync::RunSync(settings_, Options(), [](const sync::SyncEvent&) {});
  ASSERT_TRUE(third.ok());
  EXPECT_EQ(third->transferred, 0u);
  EXPECT_EQ(third->skipped, 5u);
}

TEST_F(SyncRunnerTest, SlowDownRepliesHalveTheRequestsInFlightAndTheSyncStillCompletes) {
  auto calls = std::make_shared<std::atomic<int>>(0);
  s3::ClientOptions options = Options();
  options.retry.max_attempts = 5;
  options.request_limit = std::make_shared<AdaptiveLimit>(8);
  options.make_http_client = [calls] {
    return std::make_unique<FaultyHttpClient>(
        http::MakeCurlHttpClient(),
        [](int index, const http::Request& request) -> std::optional<Result<http::Response>> {
          if (index < 1 || index > 3 || request.method != "PUT")
            return std::nullopt;  // the listing goes through; three PUTs are told to slow down
          http::Response slow_down;
          slow_down.status = 503;
          slow_down.body =
              "<Error><Code>SlowDown</Code><Message>Reduce your request rate.</Message></Error>";
          return Result<http::Response>(slow_down);
        },
        calls);
  };
  settings_.concurrency = 4;
  auto run = sync::RunSync(settings_, options, [](const sync::SyncEvent&) {});
  ASSERT_TRUE(run.ok()) << run.status().message();
  EXPECT_EQ(run->failed, 0u);
  EXPECT_EQ(CheckObjectsAreWholeFiles(), 5u);
  EXPECT_LT(options.request_limit->limit(), 8) << "no back-off after SlowDown";
}

}  // namespace
}  // namespace slack_intel::testing
