// `slack-intel sync` run as a user runs it, against the local Ceph S3 server; the bucket is
// checked with an independent client (libcurl's own SigV4 signer).

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "support/reference_s3_request.h"
#include "support/s3_test_server.h"
#include "support/subprocess.h"
#include "support/temp_dir.h"

namespace slack_intel::testing {
namespace {

namespace fs = std::filesystem;
const fs::path kTestData = fs::path(SLACK_INTEL_SOURCE_DIR) / "tests/testdata/parquet";

class SyncE2E : public ::testing::Test {
 protected:
  void SetUp() override {
    server_ = LoadS3TestServer();
    bucket_ = UniqueBucketName(::testing::UnitTest::GetInstance()->current_test_info()->name());
    ASSERT_EQ(ReferenceS3Request(server_, "PUT", "/" + bucket_).status, 200);
    cache_ = dir_.path() / "cache";
    Place("slack-intel-every-type.parquet",
          "raw/messages/dt=2025-10-21/channel=engineering/data.parquet");
    Place("duckdb-one-row.parquet", "raw/messages/dt=2025-10-21/channel=dev ops/data.parquet");
    Place("duckdb-dictionary.parquet", "raw/jira/dt=2025-10-21/data.parquet");
    Place("duckdb-one-row.parquet", "users.parquet");
    Write(".slack-intel/manifest.json", "{}");  // the cache's own state: never uploaded
    Write("raw/messages/dt=2025-10-22/channel=eng/.data.parquet.tmp", "half written");
  }

  void Place(const std::string& testdata, const std::string& relative) {
    fs::create_directories((cache_ / relative).parent_path());
    fs::copy_file(kTestData / testdata, cache_ / relative, fs::copy_options::overwrite_existing);
  }
  void Write(const std::string& relative, const std::string& text) {
    fs::create_directories((cache_ / relative).parent_path());
    std::ofstream(cache_ / relative, std::ios::binary) << text;
  }

  ProcessResult Sync(std::vector<std::string> extra = {}, const std::string& secret = "") {
    std::vector<std::string> args = {
        SLACK_INTEL_BIN_PATH, "sync",         "--bucket",      bucket_,    "--endpoint-url",
        server_.endpoint,     "--cache-path", cache_.string(), "--prefix", "prod"};
    args.insert(args.end(), extra.begin(), extra.end());
    return RunProcess(args,
                      {{"AWS_ACCESS_KEY_ID", server_.access_key},
                       {"AWS_SECRET_ACCESS_KEY", secret.empty() ? server_.secret_key : secret},
                       {"AWS_EC2_METADATA_DISABLED", "true"},
                       {"HOME", dir_.path().string()}});
  }

  // Keys in the bucket, via the independent client.
  std::vector<std::string> Keys() {
    HttpReply list = ReferenceS3Request(server_, "GET", "/" + bucket_ + "?list-type=2");
    std::vector<std::string> keys;
    for (size_t at = 0; (at = list.body.find("<Key>", at)) != std::string::npos;) {
      at += 5;
      keys.push_back(list.body.substr(at, list.body.find("</Key>", at) - at));
    }
    return keys;
  }

  static int Count(const std::string& text, const std::string& what) {
    int n = 0;
    for (size_t at = 0; (at = text.find(what, at)) != std::string::npos; at += what.size()) ++n;
    return n;
  }

  S3TestServer server_;
  std::string bucket_;
  TempDir dir_;
  fs::path cache_;
};

TEST_F(SyncE2E, UploadsTheLayoutOfTheUserGuideThenNothingTheSecondTime) {
  ProcessResult first = Sync();
  ASSERT_EQ(first.exit_code, 0) << first.stderr_text;
  EXPECT_EQ(Count(first.stdout_text, "upload: "), 4) << first.stdout_text;
  EXPECT_NE(first.stdout_text.find(
                "upload: " + cache_.string() +
                "/raw/messages/dt=2025-10-21/channel=engineering/data.parquet to s3://" + bucket_ +
                "/prod/messages/dt=2025-10-21/channel=engineering/data.parquet"),
            std::string::npos)
      << first.stdout_text;
  EXPECT_EQ(Keys(), (std::vector<std::string>{
                        "prod/jira/dt=2025-10-21/data.parquet",
                        "prod/messages/dt=2025-10-21/channel=dev ops/data.parquet",
                        "prod/messages/dt=2025-10-21/channel=engineering/data.parquet",
                        "prod/users.parquet"}));
  // The bytes are the file's.
  std::ifstream in(cache_ / "users.parquet", std::ios::binary);
  const std::string local((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(ReferenceS3Request(server_, "GET", "/" + bucket_ + "/prod/users.parquet").body, local);

  ProcessResult second = Sync();
  ASSERT_EQ(second.exit_code, 0) << second.stderr_text;
  EXPECT_EQ(Count(second.stdout_text, "upload: "), 0) << second.stdout_text;
  EXPECT_NE(second.stdout_text.find("unchanged 4"), std::string::npos) << second.stdout_text;
}

TEST_F(SyncE2E, ASameSizeEditIsUploadedEvenWithAnOlderMtime) {
  ASSERT_EQ(Sync().exit_code, 0);
  const fs::path file = cache_ / "raw/jira/dt=2025-10-21/data.parquet";
  const auto mtime = fs::last_write_time(file);
  std::fstream edit(file, std::ios::in | std::ios::out | std::ios::binary);
  edit.seekp(100);
  edit.put('\x5a');
  edit.close();
  fs::last_write_time(file, mtime - std::chrono::hours(24));  // aws s3 sync would skip this
  ProcessResult run = Sync();
  ASSERT_EQ(run.exit_code, 0) << run.stderr_text;
  EXPECT_EQ(Count(run.stdout_text, "upload: "), 1) << run.stdout_text;
  EXPECT_NE(run.stdout_text.find("jira/dt=2025-10-21/data.parquet"), std::string::npos);
}

TEST_F(SyncE2E, JsonPrintsOneObjectPerActionThenTheSummary) {
  ProcessResult run = Sync({"--json"});
  ASSERT_EQ(run.exit_code, 0) << run.stderr_text;
  const std::vector<std::string> lines = SplitLines(run.stdout_text);
  ASSERT_EQ(lines.size(), 5u) << run.stdout_text;
  for (size_t i = 0; i < 4; ++i) {
    const auto action = nlohmann::json::parse(lines[i]);
    EXPECT_EQ(action["action"], "upload");
    EXPECT_EQ(action["dry_run"], false);
    EXPECT_TRUE(action["destination"].get<std::string>().starts_with("s3://" + bucket_ + "/prod/"));
    EXPECT_GT(action["size_bytes"].get<uint64_t>(), 0u);
  }
  const auto summary = nlohmann::json::parse(lines[4])["summary"];
  EXPECT_EQ(summary["uploaded"], 4);
  EXPECT_EQ(summary["skipped"], 0);
  EXPECT_EQ(summary["failed"], 0);
  EXPECT_GT(summary["bytes_uploaded"].get<uint64_t>(), 0u);
  const auto again = SplitLines(Sync({"--json"}).stdout_text);
  ASSERT_EQ(again.size(), 1u);
  EXPECT_EQ(nlohmann::json::parse(again[0])["summary"]["skipped"], 4);
}

TEST_F(SyncE2E, StorageClassIsSentAndBadEncryptionFlagsAreUsageErrors) {
  ProcessResult run = Sync({"--storage-class", "STANDARD"});
  EXPECT_EQ(run.exit_code, 0) << run.stderr_text;
  EXPECT_EQ(Keys().size(), 4u);
  EXPECT_EQ(Sync({"--sse", "DES"}).exit_code, 2);
  ProcessResult kms = Sync({"--sse-kms-key-id", "alias/slack"});
  EXPECT_EQ(kms.exit_code, 1);
  EXPECT_NE(kms.stderr_text.find("needs --sse aws:kms"), std::string::npos) << kms.stderr_text;
}

TEST_F(SyncE2E, DryRunListsEverythingAndChangesNothing) {
  ProcessResult run = Sync({"--dryrun"});
  ASSERT_EQ(run.exit_code, 0) << run.stderr_text;
  EXPECT_EQ(Count(run.stdout_text, "(dryrun) upload: "), 4) << run.stdout_text;
  EXPECT_TRUE(Keys().empty());
}

TEST_F(SyncE2E, DeleteRemovesOnlyWhatIsGoneUnderThePrefix) {
  ASSERT_EQ(ReferenceS3Request(server_, "PUT", "/" + bucket_ + "/other/keep.parquet", "x").status,
            200);
  ASSERT_EQ(Sync().exit_code, 0);
  fs::remove(cache_ / "raw/messages/dt=2025-10-21/channel=dev ops/data.parquet");
  ProcessResult run = Sync({"--delete"});
  ASSERT_EQ(run.exit_code, 0) << run.stderr_text;
  EXPECT_EQ(run.stdout_text.find("delete: s3://" + bucket_ +
                                 "/prod/messages/dt=2025-10-21/channel=dev ops/data.parquet"),
            0u)
      << run.stdout_text;
  const auto keys = Keys();
  EXPECT_EQ(keys.size(), 4u);
  EXPECT_NE(std::find(keys.begin(), keys.end(), "other/keep.parquet"), keys.end())
      << "deleted outside the prefix";
}

TEST_F(SyncE2E, DeleteRefusesToEmptyTheBucketOrRemoveMoreThanHalf) {
  ASSERT_EQ(Sync().exit_code, 0);
  for (const char* f : {"raw/messages/dt=2025-10-21/channel=dev ops/data.parquet",
                        "raw/messages/dt=2025-10-21/channel=engineering/data.parquet",
                        "raw/jira/dt=2025-10-21/data.parquet"}) {
    fs::remove(cache_ / f);
  }
  ProcessResult refused = Sync({"--delete"});
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_NE(refused.stderr_text.find("--max-delete 3"), std::string::npos) << refused.stderr_text;
  EXPECT_EQ(Keys().size(), 4u);
  ProcessResult allowed = Sync({"--delete", "--max-delete", "3"});
  EXPECT_EQ(allowed.exit_code, 0) << allowed.stderr_text;
  EXPECT_EQ(Keys().size(), 1u);

  fs::remove_all(cache_);
  fs::create_directories(cache_);
  ProcessResult empty = Sync({"--delete", "--max-delete", "100"});
  EXPECT_EQ(empty.exit_code, 1);
  EXPECT_NE(empty.stderr_text.find("holds no files"), std::string::npos) << empty.stderr_text;
  EXPECT_EQ(Keys().size(), 1u);
}

TEST_F(SyncE2E, ATruncatedParquetFileIsReportedAndNotUploaded) {
  Write("raw/messages/dt=2025-10-23/channel=eng/data.parquet", "PAR1 truncated in the middle");
  ProcessResult run = Sync();
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_NE(run.stderr_text.find("is not a complete Parquet file"), std::string::npos)
      << run.stderr_text;
  EXPECT_EQ(Keys().size(), 4u);  // the good ones still went up
}

TEST_F(SyncE2E, BucketAndCredentialProblemsUseTheGuidesMessages) {
  ProcessResult wrong_secret = Sync({}, "definitely-not-the-secret-000000000000000");
  EXPECT_EQ(wrong_secret.exit_code, 1);
  EXPECT_NE(wrong_secret.stderr_text.find("Cannot access S3 bucket " + bucket_), std::string::npos)
      << wrong_secret.stderr_text;
  EXPECT_EQ(wrong_secret.stderr_text.find("definitely-not-the-secret"), std::string::npos);
  EXPECT_EQ(SplitLines(wrong_secret.stderr_text).size(), 1u) << wrong_secret.stderr_text;

  bucket_ = "si-no-such-bucket-" + std::to_string(getpid());
  ProcessResult missing = Sync();
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_NE(missing.stderr_text.find("NoSuchBucket"), std::string::npos) << missing.stderr_text;
}

}  // namespace
}  // namespace slack_intel::testing
