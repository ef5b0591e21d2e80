// RunSync against the local Ceph S3 server through a transport that fails on cue: what a
// network lost mid-upload, or a server asking to slow down, does to a sync.

#include "sync/sync_runner.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cctype>
#include <functional>
#include <optional>
#include <fstream>
#include <string>

#include "s3/client.h"
#include "store/local_dir_store.h"
#include "store/s3_store.h"
#include "sync/manifest.h"
#include "support/fake_clock.h"
#include "support/faulty_http_client.h"
#include "support/reference_s3_request.h"
#include "support/s3_test_server.h"
#include "support/temp_dir.h"
#include "util/http/socket_http_client.h"

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
    settings_.concurrency = 1;
    upload_.concurrency = 1;
    upload_.multipart_threshold_bytes = 5 << 20;
    upload_.part_size_bytes = 5 << 20;
  }

  // RunSync between cache_ and s3://bucket_/prod/ as the CLI opens them, with `client`.
  Result<sync::SyncSummary> Run(const s3::ClientOptions& client,
                                const std::function<void(const sync::SyncEvent&)>& report,
                                std::optional<sync::SyncSettings> settings = std::nullopt) {
    sync::SyncSettings s = settings.value_or(settings_);
    const fs::path manifest =
        sync::SyncStatePath(cache_, client.endpoint_url, bucket_, "prod/", "manifest");
    s.state = {manifest,
               sync::SyncStatePath(cache_, client.endpoint_url, bucket_, "prod/", "uploads")};
    store::S3Store bucket({client, bucket_, "prod/", upload_});
    store::LocalDirStore cache({cache_, "raw", {manifest.parent_path(), !s.dry_run}});
    s.cache = &cache;
    s.bucket = &bucket;
    return sync::RunSync(s, report);
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
      for (const char c : object.key) {  // S3's URI encoding: all but unreserved bytes and '/'
        const bool plain = std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' ||
                           c == '.' || c == '~' || c == '/';
        path += plain ? std::string(1, c) : fmt::format("%{:02X}", static_cast<unsigned char>(c));
      }
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
  s3::UploadOptions upload_;
};

TEST_F(SyncRunnerTest, ANetworkLostMidUploadLeavesNoPartialObjectAndTheRerunConverges) {
  // The network goes away while the second part of the big file is on its way, for good: the
  // abort cannot reach the server either, so the journal must remember the upload.
  auto calls = std::make_shared<std::atomic<int>>(0);
  auto gone = std::make_shared<std::atomic<bool>>(false);
  s3::ClientOptions broken = Options();
  broken.make_http_client = [calls, gone] {
    return std::make_unique<FaultyHttpClient>(
        http::MakeHttpClient(),
        [gone](int, const http::Request& request) -> std::optional<Result<http::Response>> {
          if (request.url.find("partNumber=2") != std::string::npos) *gone = true;
          if (*gone) return Result<http::Response>(Status::Unavailable("network is unreachable"));
          return std::nullopt;
        },
        calls);
  };
  auto first = Run(broken, [](const sync::SyncEvent&) {});
  // Every try fails and nothing answers: the run stops, saying so once.
  ASSERT_FALSE(first.ok());
  EXPECT_EQ(first.status().code(), StatusCode::kUnavailable);
  EXPECT_NE(first.status().message().find("stopped answering"), std::string::npos)
      << first.status().message();
  CheckObjectsAreWholeFiles();
  EXPECT_EQ(OpenMultipartUploads(), 1u) << "the interrupted upload could not be aborted";

  auto second = Run(Options(), [](const sync::SyncEvent&) {});
  ASSERT_TRUE(second.ok()) << second.status().message();
  EXPECT_EQ(second->failed, 0u);
  EXPECT_EQ(CheckObjectsAreWholeFiles(), 5u);
  EXPECT_EQ(OpenMultipartUploads(), 0u) << "the rerun aborted the stray upload";
  auto third = Run(Options(), [](const sync::SyncEvent&) {});
  ASSERT_TRUE(third.ok());
  EXPECT_EQ(third->transferred, 0u);
  EXPECT_EQ(third->skipped, 5u);
}

// A listing whose pages would never end (the same continuation token again, or keys that go
// back) fails the run with a clear error instead of paging forever.
TEST_F(SyncRunnerTest, AListingThatWouldNeverEndIsAnError) {
  for (const bool keys_go_back : {false, true}) {
    auto calls = std::make_shared<std::atomic<int>>(0);
    auto pages = std::make_shared<std::atomic<int>>(0);
    s3::ClientOptions looping = Options();
    looping.make_http_client = [calls, pages, keys_go_back] {
      return std::make_unique<FaultyHttpClient>(
          http::MakeHttpClient(),
          [pages, keys_go_back](
              int, const http::Request& request) -> std::optional<Result<http::Response>> {
            if (request.url.find("list-type=2") == std::string::npos) return std::nullopt;
            const int page = (*pages)++;
            http::Response response;
            response.status = 200;
            response.body = fmt::format(
                "<ListBucketResult><IsTruncated>true</IsTruncated>"
                "<NextContinuationToken>{}</NextContinuationToken>"
                "<Contents><Key>prod/k{:04d}</Key><Size>1</Size><ETag>\"e\"</ETag></Contents>"
                "</ListBucketResult>",
                keys_go_back ? fmt::format("t{}", page) : "same", keys_go_back ? 0 : page);
            return Result<http::Response>(response);
          },
          calls);
    };
    auto run = Run(looping, [](const sync::SyncEvent&) {});
    ASSERT_FALSE(run.ok());
    EXPECT_EQ(run.status().code(), StatusCode::kCorruption);
    EXPECT_NE(run.status().message().find("would never end"), std::string::npos)
        << run.status().message();
    EXPECT_LE(pages->load(), 3) << "it stopped at the repeat";
  }
}

TEST_F(SyncRunnerTest, SlowDownRepliesHalveTheRequestsInFlightAndTheSyncStillCompletes) {
  auto calls = std::make_shared<std::atomic<int>>(0);
  s3::ClientOptions options = Options();
  options.retry.max_attempts = 5;
  options.request_limit = std::make_shared<AdaptiveLimit>(8);
  options.make_http_client = [calls] {
    return std::make_unique<FaultyHttpClient>(
        http::MakeHttpClient(),
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
  auto run = Run(options, [](const sync::SyncEvent&) {});
  ASSERT_TRUE(run.ok()) << run.status().message();
  EXPECT_EQ(run->failed, 0u);
  EXPECT_EQ(CheckObjectsAreWholeFiles(), 5u);
  EXPECT_LT(options.request_limit->limit(), 8) << "no back-off after SlowDown";
}

TEST_F(SyncRunnerTest, WindowsAndListingRangesOfAFewKeysGiveExactlyTheWholeSync) {
  // Windows of 3 keys and listing ranges of 2: every border is crossed many times, and the
  // key order has the traps of S3's byte order ("a-b" < "a/x" < "a0").
  settings_.window_keys = 3;
  settings_.listing_range_keys = 2;
  settings_.concurrency = 3;
  for (const char* relative : {"raw/t/a/x", "raw/t/a-b", "raw/t/a0", "users.bin"})
    Write(relative, 10);
  for (int day = 1; day <= 9; ++day) {
    for (const char* channel : {"dev ops", "eng", "é"})
      Write(fmt::format("raw/messages/dt=2025-10-0{}/channel={}/data.bin", day, channel), 50 + day);
  }
  const size_t files = 5 + 4 + 27;
  auto quiet = [](const sync::SyncEvent&) {};
  auto first = Run(Options(), quiet);
  ASSERT_TRUE(first.ok()) << first.status().message();
  EXPECT_EQ(first->transferred, files);
  EXPECT_EQ(CheckObjectsAreWholeFiles(), files);

  // Nothing changed: the manifest (now cut into ranges for the listing) settles every file.
  auto second = Run(Options(), quiet);
  ASSERT_TRUE(second.ok()) << second.status().message();
  EXPECT_EQ(second->transferred, 0u);
  EXPECT_EQ(second->skipped, files);
  EXPECT_EQ(second->hashed_files, 0u);

  // Two same-size edits, three files gone, one object only in the bucket.
  std::ofstream(cache_ / "raw/t/a-b", std::ios::binary) << "0123456789";
  std::ofstream(cache_ / "raw/messages/dt=2025-10-05/channel=eng/data.bin", std::ios::binary)
      << std::string(55, 'x');
  for (const char* gone : {"raw/t/a/x", "raw/messages/dt=2025-10-01/channel=é/data.bin",
                           "raw/messages/dt=2025-10-09/channel=dev ops/data.bin"}) {
    fs::remove(cache_ / gone);
  }
  ASSERT_EQ(ReferenceS3Request(server_, "PUT", "/" + bucket_ + "/prod/zz-only-remote", "x").status,
            200);
  settings_.delete_removed = true;
  std::vector<std::string> deleted;
  auto third = Run(Options(), [&](const sync::SyncEvent& e) {
    if (e.kind == sync::SyncEvent::Kind::kDelete) deleted.push_back(e.destination);
  });
  ASSERT_TRUE(third.ok()) << third.status().message();
  EXPECT_EQ(third->transferred, 2u);
  EXPECT_EQ(third->early_uploads, 2u);  // both edits went up before the listing got there
  EXPECT_EQ(third->hashed_files, 2u);
  EXPECT_EQ(third->deleted, 4u);
  EXPECT_EQ(deleted.size(), 4u);
  EXPECT_EQ(CheckObjectsAreWholeFiles(), files - 3);

  // And back: a pull into an empty cache, in the same small windows, brings every byte.
  settings_.direction = sync::Direction::kPull;
  settings_.delete_removed = false;
  cache_ = dir_.path() / "pulled";
  auto pulled = Run(Options(), quiet);
  ASSERT_TRUE(pulled.ok()) << pulled.status().message();
  EXPECT_EQ(pulled->transferred, files - 3);
  EXPECT_EQ(CheckObjectsAreWholeFiles(), files - 3);
}

// Files changed or new since the last run go up while the walk meets them (early); a file
// only touched, a run without a manifest and a dry run leave everything to the merge.
TEST_F(SyncRunnerTest, FilesChangedSinceTheLastRunGoUpEarlyAndNothingElseDoes) {
  settings_.concurrency = 4;
  settings_.window_keys = 2;  // the walk runs far ahead of the merge
  for (int day = 1; day <= 6; ++day)
    Write(fmt::format("raw/messages/dt=2025-10-0{}/channel=eng/data.bin", day), 100 + day);
  auto quiet = [](const sync::SyncEvent&) {};
  auto first = Run(Options(), quiet);
  ASSERT_TRUE(first.ok()) << first.status().message();
  EXPECT_EQ(first->early_uploads, 0u);  // no manifest yet: nothing is known to have changed

  Write("raw/messages/dt=2025-10-06/channel=eng/data.bin", 106);  // same bytes: touched
  std::ofstream(cache_ / "raw/messages/dt=2025-10-05/channel=eng/data.bin", std::ios::binary)
      << std::string(105, 'z');                                   // same size, new bytes
  Write("raw/messages/dt=2025-10-07/channel=eng/data.bin", 107);  // new
  sync::SyncSettings dry = settings_;
  dry.dry_run = true;
  auto preview = Run(Options(), quiet, dry);
  ASSERT_TRUE(preview.ok()) << preview.status().message();
  EXPECT_EQ(preview->transferred, 2u);
  EXPECT_EQ(preview->early_uploads, 0u);

  std::vector<std::string> uploaded;
  auto second = Run(Options(), [&](const sync::SyncEvent& e) {
    if (e.kind == sync::SyncEvent::Kind::kUpload) uploaded.push_back(e.destination);
  });
  ASSERT_TRUE(second.ok()) << second.status().message();
  EXPECT_EQ(second->transferred, 2u);
  EXPECT_EQ(second->early_uploads, 2u);
  EXPECT_EQ(second->failed, 0u);
  EXPECT_EQ(uploaded.size(), 2u);
  const size_t files = 4 + 1 + 7;
  EXPECT_EQ(CheckObjectsAreWholeFiles(), files);

  // What the early uploads recorded lets the next run settle everything from the manifest.
  auto third = Run(Options(), quiet);
  ASSERT_TRUE(third.ok()) << third.status().message();
  EXPECT_EQ(third->transferred, 0u);
  EXPECT_EQ(third->hashed_files, 0u);

  // A lost manifest costs hashing, never early (blind) uploads.
  fs::remove_all(cache_ / ".slack-intel");
  std::ofstream(cache_ / "raw/messages/dt=2025-10-01/channel=eng/data.bin", std::ios::binary)
      << std::string(101, 'q');
  auto fourth = Run(Options(), quiet);
  ASSERT_TRUE(fourth.ok()) << fourth.status().message();
  EXPECT_EQ(fourth->transferred, 1u);
  EXPECT_EQ(fourth->early_uploads, 0u);
  EXPECT_EQ(CheckObjectsAreWholeFiles(), files);
}

}  // namespace
}  // namespace slack_intel::testing
