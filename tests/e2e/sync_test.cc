// `slack-intel sync` run as a user runs it, against the local Ceph S3 server; the bucket is
// checked with an independent client (libcurl's own SigV4 signer).

#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "support/fault_proxy.h"
#include "support/files.h"
#include "support/reference_s3_request.h"
#include "support/s3_test_server.h"
#include "support/server_process.h"
#include "support/small_disk.h"
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
  // `count` partitions of channels c0, c1, ... over the days of `month` ("2025-11"), each a
  // copy of one of the test files in turn.
  void PlaceMany(int count, const std::string& month) {
    const char* files[] = {"duckdb-one-row.parquet", "duckdb-dictionary.parquet",
                           "slack-intel-every-type.parquet"};
    for (int i = 0; i < count; ++i) {
      const int day = i % 28 + 1;
      Place(files[i % 3], "raw/messages/dt=" + month + (day < 10 ? "-0" : "-") +
                              std::to_string(day) + "/channel=c" + std::to_string(i) +
                              "/data.parquet");
    }
  }
  void Write(const std::string& relative, const std::string& text) {
    fs::create_directories((cache_ / relative).parent_path());
    std::ofstream(cache_ / relative, std::ios::binary) << text;
  }

  std::vector<std::string> SyncArgs(const std::vector<std::string>& extra,
                                    const fs::path& cache = {}) {
    std::vector<std::string> args = {
        SLACK_INTEL_BIN_PATH, "sync",
        "--bucket",           bucket_,
        "--endpoint-url",     server_.endpoint,
        "--cache-path",       (cache.empty() ? cache_ : cache).string(),
        "--prefix",           "prod"};
    args.insert(args.end(), extra.begin(), extra.end());
    return args;
  }
  std::map<std::string, std::string> SyncEnvironment(const std::string& secret = "") {
    return {{"AWS_ACCESS_KEY_ID", server_.access_key},
            {"AWS_SECRET_ACCESS_KEY", secret.empty() ? server_.secret_key : secret},
            {"AWS_EC2_METADATA_DISABLED", "true"},
            {"HOME", dir_.path().string()}};
  }
  ProcessResult Sync(std::vector<std::string> extra = {}, const std::string& secret = "",
                     const fs::path& cache = {}) {
    return RunProcess(SyncArgs(extra, cache), SyncEnvironment(secret));
  }

  // Starts a sync, then kills it (SIGKILL) once `ready()` holds. Returns whether it was
  // killed, not finished first.
  bool KillSyncWhen(const std::vector<std::string>& extra, const std::function<bool()>& ready) {
    return KillProcessWhen(SyncArgs(extra), SyncEnvironment(), ready) == 128 + SIGKILL;
  }

  // A 48 MiB .parquet file with a valid footer: in 5 MiB parts, its upload lasts long enough
  // for a run to be killed in the middle.
  fs::path WriteBigParquet(const std::string& relative) {
    const fs::path big = cache_ / relative;
    fs::create_directories(big.parent_path());
    std::string bytes(48 << 20, '\0');
    for (size_t i = 0; i < bytes.size(); ++i) bytes[i] = static_cast<char>((i * 2654435761u) >> 13);
    std::memcpy(bytes.data(), "PAR1", 4);
    const uint32_t footer = 100;
    std::memcpy(bytes.data() + bytes.size() - 8, &footer, 4);
    std::memcpy(bytes.data() + bytes.size() - 4, "PAR1", 4);
    std::ofstream(big, std::ios::binary) << bytes;
    return big;
  }

  // A fault-injecting HTTP proxy in front of the S3 server (tests/support/fault_proxy.mjs).
  std::unique_ptr<ServerProcess> StartFaultProxy(std::vector<std::string> flags) {
    return testing::StartFaultProxy(server_.endpoint, std::move(flags));
  }
  // `args` with the S3 endpoint replaced by `proxy`'s.
  std::vector<std::string> Through(const ServerProcess& proxy, std::vector<std::string> args) {
    *std::find(args.begin(), args.end(), server_.endpoint) = proxy.base_url();
    return args;
  }

  // The bytes of the cache file a key under "prod/" maps to.
  std::string LocalBytes(const std::string& key) {
    const std::string relative = key.substr(5);
    return ReadFileBytes(cache_ /
                         (relative.find('/') == std::string::npos ? relative : "raw/" + relative));
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

  // The request path of an object: '=' and ' ' escaped, as a signed request needs.
  std::string ObjectPath(const std::string& key) {
    std::string path = "/" + bucket_ + "/";
    for (char c : key) {
      if (c == '=')
        path += "%3D";
      else if (c == ' ')
        path += "%20";
      else
        path += c;
    }
    return path;
  }
  // The object's bytes, via the independent client.
  std::string Get(const std::string& key) {
    return ReferenceS3Request(server_, "GET", ObjectPath(key)).body;
  }

  // tests/support/s3_objects.py: boto3, an S3 client independent of ours.
  ProcessResult Boto3(const std::string& command, const std::string& name,
                      const std::string& stdin_text = "") {
    return RunProcess(
        {"/usr/bin/python3", std::string(SLACK_INTEL_SOURCE_DIR) + "/tests/support/s3_objects.py",
         command, server_.endpoint, bucket_, name},
        {{"AWS_ACCESS_KEY_ID", server_.access_key},
         {"AWS_SECRET_ACCESS_KEY", server_.secret_key},
         {"AWS_EC2_METADATA_DISABLED", "true"},
         {"HOME", dir_.path().string()}},
        stdin_text);
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

// gs:// is the S3 store in GCS's mode (one DELETE per object); pointed at Ceph with
// --endpoint-url it syncs and deletes as s3:// does, and names objects gs://.
TEST_F(SyncE2E, AGsDestinationSyncsAndDeletesThroughTheS3Protocol) {
  auto gs = [&](std::vector<std::string> extra) {
    std::vector<std::string> args = {
        SLACK_INTEL_BIN_PATH, "sync",           "--dest",       "gs://" + bucket_ + "/prod",
        "--endpoint-url",     server_.endpoint, "--cache-path", cache_.string()};
    args.insert(args.end(), extra.begin(), extra.end());
    return RunProcess(args, SyncEnvironment());
  };
  ProcessResult first = gs({});
  ASSERT_EQ(first.exit_code, 0) << first.stderr_text;
  EXPECT_NE(first.stdout_text.find("to gs://" + bucket_ + "/prod/users.parquet"), std::string::npos)
      << first.stdout_text;
  EXPECT_EQ(Keys().size(), 4u);
  fs::remove(cache_ / "raw/jira/dt=2025-10-21/data.parquet");
  ProcessResult deleted = gs({"--delete"});
  ASSERT_EQ(deleted.exit_code, 0) << deleted.stderr_text;
  EXPECT_EQ(Keys().size(), 3u);
  ProcessResult same_state = Sync({"--json"});  // the s3:// spelling of the same place
  EXPECT_EQ(same_state.exit_code, 0) << same_state.stderr_text;
  ProcessResult sse = gs({"--sse", "AES256"});
  EXPECT_EQ(sse.exit_code, 1);
  EXPECT_NE(sse.stderr_text.find("GCS encrypts every object"), std::string::npos)
      << sse.stderr_text;
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

// The last stdout line of a --json run.
nlohmann::json Summary(const ProcessResult& run) {
  const auto lines = SplitLines(run.stdout_text);
  if (lines.empty()) return {};
  return nlohmann::json::parse(lines.back())["summary"];
}

// Rewrites one byte in the middle and sets the mtime back: same size, older mtime.
void EditKeepingSizeAndMtime(const fs::path& file) {
  const auto mtime = fs::last_write_time(file);
  std::fstream edit(file, std::ios::in | std::ios::out | std::ios::binary);
  edit.seekg(100);
  const char old = static_cast<char>(edit.get());
  edit.seekp(100);
  edit.put(static_cast<char>(old ^ 0x5a));
  edit.close();
  fs::last_write_time(file, mtime - std::chrono::hours(24));
}

TEST_F(SyncE2E, TheManifestSparesHashingAndALostOrStaleOneNeverMisleads) {
  ASSERT_EQ(Sync().exit_code, 0);
  const nlohmann::json again = Summary(Sync({"--json"}));
  EXPECT_EQ(again["uploaded"], 0);
  EXPECT_EQ(again["hashed_files"], 0) << "unchanged files are not read again";

  fs::last_write_time(cache_ / "users.parquet", fs::file_time_type::clock::now());  // touch
  const nlohmann::json touched = Summary(Sync({"--json"}));
  EXPECT_EQ(touched["uploaded"], 0) << "a touched but unchanged file is not uploaded";
  EXPECT_EQ(touched["hashed_files"], 1);

  const fs::path state = cache_ / ".slack-intel/sync";
  ASSERT_TRUE(fs::is_directory(state));
  const fs::path stale = dir_.path() / "stale-manifests";
  fs::copy(state, stale);
  fs::remove_all(state);
  const nlohmann::json lost = Summary(Sync({"--json"}));
  EXPECT_EQ(lost["uploaded"], 0) << "a lost manifest costs hashing, not uploads";
  EXPECT_EQ(lost["hashed_files"], 4);

  // An edit the manifest has not seen: its recorded hashes no longer apply.
  EditKeepingSizeAndMtime(cache_ / "raw/jira/dt=2025-10-21/data.parquet");
  fs::remove_all(state);
  fs::copy(stale, state);
  ProcessResult edited = Sync({"--json"});
  EXPECT_EQ(Summary(edited)["uploaded"], 1) << edited.stdout_text;
  EXPECT_TRUE(Get("prod/jira/dt=2025-10-21/data.parquet") ==
              ReadFileBytes(cache_ / "raw/jira/dt=2025-10-21/data.parquet"));

  // A line damaged partway: the files after it may be new or not, so they are hashed again,
  // not uploaded.
  fs::path manifest;
  for (const auto& entry : fs::directory_iterator(state)) {
    if (entry.path().extension() == ".manifest") manifest = entry.path();
  }
  std::string text = ReadFileBytes(manifest);
  const size_t second_record = text.find('\n', text.find('\n') + 1) + 1;  // after the header
  text.replace(second_record, text.find('\n', second_record) - second_record, "12a");
  std::ofstream(manifest, std::ios::trunc) << text;
  ProcessResult cut_short = Sync({"--json"});
  EXPECT_EQ(Summary(cut_short)["uploaded"], 0) << cut_short.stdout_text;
  EXPECT_EQ(Summary(cut_short)["hashed_files"], 3) << "the 3 files from the damaged line on";

  // Damage is ignored, never trusted, and said once: two readers of the manifest, one warning.
  std::vector<fs::path> garbled;
  for (const auto& entry : fs::directory_iterator(state)) {
    std::ofstream(entry.path()) << "garbage";
    garbled.push_back(entry.path());
  }
  ProcessResult damaged = Sync({"--json"});
  EXPECT_EQ(damaged.exit_code, 0) << damaged.stderr_text;
  EXPECT_EQ(Summary(damaged)["uploaded"], 0);
  for (const fs::path& file : garbled) {
    if (file.extension() != ".manifest") continue;
    EXPECT_EQ(Count(damaged.stderr_text, "ignoring " + file.string()), 1) << damaged.stderr_text;
  }
}

TEST_F(SyncE2E, CompareMtimeAndSizeFollowTheirRules) {
  ASSERT_EQ(Sync().exit_code, 0);
  EditKeepingSizeAndMtime(cache_ / "raw/jira/dt=2025-10-21/data.parquet");
  EXPECT_EQ(Summary(Sync({"--json", "--compare", "size"}))["uploaded"], 0);
  EXPECT_EQ(Summary(Sync({"--json", "--compare", "mtime"}))["uploaded"], 0)
      << "aws s3 sync's rule: an older same-size file is not uploaded";
  fs::last_write_time(cache_ / "users.parquet",
                      fs::file_time_type::clock::now() + std::chrono::hours(1));
  EXPECT_EQ(Summary(Sync({"--json", "--compare", "mtime"}))["uploaded"], 1);
  EXPECT_EQ(Summary(Sync({"--json"}))["uploaded"], 1) << "content: the edited file goes up";
  EXPECT_EQ(Sync({"--compare", "md5"}).exit_code, 2);
}

TEST_F(SyncE2E, ExcludeAndIncludeApplyInOrderToBothSides) {
  ProcessResult run =
      Sync({"--exclude", "messages/*", "--include", "*channel=engineering*", "--json"});
  ASSERT_EQ(run.exit_code, 0) << run.stderr_text;
  EXPECT_EQ(Keys(), (std::vector<std::string>{
                        "prod/jira/dt=2025-10-21/data.parquet",
                        "prod/messages/dt=2025-10-21/channel=engineering/data.parquet",
                        "prod/users.parquet"}));
  ASSERT_EQ(Sync().exit_code, 0);
  // An excluded remote object is not deleted, even when gone locally.
  fs::remove(cache_ / "raw/messages/dt=2025-10-21/channel=dev ops/data.parquet");
  ProcessResult excluded = Sync({"--delete", "--exclude", "*dev ops*", "--json"});
  EXPECT_EQ(Summary(excluded)["deleted"], 0) << excluded.stdout_text;
  EXPECT_EQ(Keys().size(), 4u);
}

TEST_F(SyncE2E, ARunWithFiltersKeepsWhatTheManifestKnowsOfTheFilesItExcludes) {
  ASSERT_EQ(Sync().exit_code, 0);
  ASSERT_EQ(Sync({"--exclude", "messages/*"}).exit_code, 0);
  ProcessResult all = Sync({"--json"});
  EXPECT_EQ(Summary(all)["uploaded"], 0) << all.stdout_text;
  EXPECT_EQ(Summary(all)["hashed_files"], 0) << "excluded files are not read again";
}

TEST_F(SyncE2E, PullBringsTheCacheBackByteForByteAndRefusesKeysOutsideIt) {
  Place("slack-intel-every-type.parquet", "big.bin");  // a top-level non-raw file
  ASSERT_EQ(Sync().exit_code, 0);
  const fs::path copy = dir_.path() / "colleague/cache";
  auto sync_pull = [&](std::vector<std::string> extra = {}) {
    std::vector<std::string> args = {"--pull", "--json"};
    args.insert(args.end(), extra.begin(), extra.end());
    return Sync(args, "", copy);
  };
  ProcessResult dry = sync_pull({"--dry-run"});
  EXPECT_EQ(Summary(dry)["downloaded"], 5) << dry.stdout_text;
  EXPECT_FALSE(fs::exists(copy)) << "a dry run writes nothing";

  ProcessResult first = sync_pull();
  ASSERT_EQ(first.exit_code, 0) << first.stderr_text;
  EXPECT_EQ(Summary(first)["downloaded"], 5);
  for (const char* relative : {"raw/messages/dt=2025-10-21/channel=engineering/data.parquet",
                               "raw/messages/dt=2025-10-21/channel=dev ops/data.parquet",
                               "raw/jira/dt=2025-10-21/data.parquet", "users.parquet", "big.bin"}) {
    EXPECT_EQ(ReadFileBytes(copy / relative), ReadFileBytes(cache_ / relative)) << relative;
  }
  ProcessResult second = sync_pull();
  EXPECT_EQ(Summary(second)["downloaded"], 0);
  EXPECT_EQ(Summary(second)["hashed_files"], 0);

  // Keys that would escape the cache or touch its state are reported and skipped.
  const std::vector<std::string> evil = {"prod/a/../../escape.parquet", "prod/a\\b.parquet",
                                         "prod/.slack-intel/sync/x.manifest"};
  for (const std::string& key : evil) {
    ProcessResult put = Boto3("put", key, "evil");
    ASSERT_EQ(put.exit_code, 0) << key << put.stderr_text;
  }
  std::ofstream(copy / "raw/jira/extra.parquet") << "only here";
  ProcessResult refused = sync_pull({"--delete"});
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_EQ(Count(refused.stdout_text, "\"invalid_key\""), 3) << refused.stdout_text;
  EXPECT_FALSE(fs::exists(dir_.path() / "colleague/escape.parquet"));
  EXPECT_FALSE(fs::exists(copy / ".slack-intel/sync/x.manifest"));
  EXPECT_TRUE(fs::exists(copy / "raw/jira/extra.parquet")) << "no deletes in a failed run";
  for (const std::string& key : evil) ASSERT_EQ(Boto3("delete", key).exit_code, 0) << key;
  ProcessResult cleaned = sync_pull({"--delete"});
  EXPECT_EQ(cleaned.exit_code, 0) << cleaned.stderr_text;
  EXPECT_EQ(Summary(cleaned)["deleted"], 1);
  EXPECT_FALSE(fs::exists(copy / "raw/jira/extra.parquet"));
}

// Keys made to attack a terminal or a log: colours, a carriage return over the line, a newline
// forging a second line, a bidi override, a name too long for any file system. None is
// written; each is reported once, escaped, on a line of its own.
TEST_F(SyncE2E, PulledKeysThatAttackTheTerminalAreRefusedAndPrintedEscaped) {
  ASSERT_EQ(Sync().exit_code, 0);
  const std::vector<std::string> hostile = {
      "prod/messages/dt=2025-10-21/channel=a\x1b[31mred/data.parquet",
      "prod/messages/dt=2025-10-21/channel=b\rupload: all good/data.parquet",
      "prod/messages/dt=2025-10-21/channel=c\nforged: line/data.parquet",
      "prod/messages/dt=2025-10-21/channel=" + std::string(900, 'n') + "/data.parquet"};
  for (const std::string& key : hostile) {
    ProcessResult put = Boto3("put", key, "evil");
    ASSERT_EQ(put.exit_code, 0) << put.stderr_text;
  }
  ASSERT_EQ(Boto3("put", "prod/messages/dt=2025-10-21/channel=d\u202eexe.parquet/data.parquet", "x")
                .exit_code,
            0);
  const fs::path copy = dir_.path() / "colleague/cache";
  ProcessResult pulled = Sync({"--pull"}, "", copy);
  EXPECT_EQ(pulled.exit_code, 1);
  const std::string printed = pulled.stdout_text + pulled.stderr_text;
  for (char control : {'\x1b', '\r'})
    EXPECT_EQ(printed.find(control), std::string::npos) << printed;
  EXPECT_NE(printed.find("\\u202e"), std::string::npos) << "the bidi override, escaped";
  int refusals = 0;
  for (const std::string& line : SplitLines(printed)) {
    EXPECT_FALSE(line.starts_with("forged")) << line;
    if (line.find("refusing to download") != std::string::npos) ++refusals;
  }
  EXPECT_EQ(refusals, 4) << printed;
  EXPECT_NE(printed.find("channel=a\\e[31mred"), std::string::npos) << printed;
  EXPECT_NE(printed.find("a name longer than 255 bytes"), std::string::npos);
  for (const auto& entry : fs::recursive_directory_iterator(dir_.path() / "colleague")) {
    const std::string name = entry.path().filename().string();
    EXPECT_EQ(name.find_first_of("\x1b\r\n"), std::string::npos) << entry.path();
  }
}

TEST_F(SyncE2E, AKilledSyncLeavesNoPartialObjectAndTheNextRunCleansUp) {
  const fs::path big = WriteBigParquet("raw/messages/dt=2025-10-24/channel=big/data.parquet");
  // The journal appears right after the multipart upload is created: kill it then.
  const fs::path state = cache_ / ".slack-intel/sync";
  auto journaled = [&] {
    std::error_code error;
    for (const auto& entry : fs::directory_iterator(state, error)) {
      if (entry.path().extension() == ".uploads" && fs::file_size(entry.path()) > 0) return true;
    }
    return false;
  };
  ASSERT_TRUE(KillSyncWhen(
      {"--concurrency", "1", "--multipart-chunksize", "5MB", "--multipart-threshold", "5MB"},
      journaled))
      << "finished before it could be killed";
  ASSERT_TRUE(journaled()) << "the upload was never journaled";

  EXPECT_EQ(Boto3("uploads", "prod/").stdout_text,
            "[\"prod/messages/dt=2025-10-24/channel=big/data.parquet\"]")
      << "the killed run left its upload open";
  auto keys = Keys();
  EXPECT_EQ(
      std::find(keys.begin(), keys.end(), "prod/messages/dt=2025-10-24/channel=big/data.parquet"),
      keys.end())
      << "a partial object became visible";

  ProcessResult rerun = Sync({"--multipart-chunksize", "5MB", "--multipart-threshold", "5MB"});
  ASSERT_EQ(rerun.exit_code, 0) << rerun.stderr_text;
  EXPECT_EQ(Boto3("uploads", "prod/").stdout_text, "[]") << "the stray upload was not aborted";
  EXPECT_TRUE(Get("prod/messages/dt=2025-10-24/channel=big/data.parquet") == ReadFileBytes(big));
}

TEST_F(SyncE2E, FilesAKilledRunUploadedCostHashingNextTimeNotASecondUpload) {
  ASSERT_EQ(Sync().exit_code, 0);  // a manifest from a finished run
  WriteBigParquet("raw/messages/dt=2025-10-24/channel=big/data.parquet");
  Place("duckdb-one-row.parquet", "raw/messages/dt=2025-10-23/channel=new/data.parquet");
  // The new small file goes up as soon as the walk meets it (an early upload), the big one
  // after the listing, each in one of 2 slots: the run is killed once the small one is in the
  // bucket, while the big one is still going up.
  const std::string small_key = "prod/messages/dt=2025-10-23/channel=new/data.parquet";
  auto small_uploaded = [&] {
    return ReferenceS3Request(server_, "HEAD", ObjectPath(small_key)).status == 200;
  };
  ASSERT_TRUE(KillSyncWhen(
      {"--concurrency", "2", "--multipart-chunksize", "5MB", "--multipart-threshold", "5MB"},
      small_uploaded))
      << "finished before it could be killed";
  ASSERT_TRUE(small_uploaded());

  ProcessResult rerun =
      Sync({"--json", "--multipart-chunksize", "5MB", "--multipart-threshold", "5MB"});
  ASSERT_EQ(rerun.exit_code, 0) << rerun.stderr_text;
  EXPECT_EQ(Count(rerun.stdout_text, "channel=new"), 0)
      << "the killed run's upload went up again:\n"
      << rerun.stdout_text;
  EXPECT_EQ(Summary(rerun)["uploaded"], 1) << "the big file";

  // A finished run clears the mark: a new file goes up early again.
  Place("duckdb-one-row.parquet", "raw/messages/dt=2025-10-25/channel=newer/data.parquet");
  EXPECT_EQ(Summary(Sync({"--json"}))["early_uploads"], 1);
}

// The S3 server dies while a sync of many files is under way (a TCP proxy in front of it is
// stopped): the run gives up after one request's tries, not one per file, and says so in one
// line; the rerun against the live server finishes the job.
TEST_F(SyncE2E, AServerThatDiesMidSyncStopsTheRunWithOneLineAndTheRerunConverges) {
  constexpr int kFiles = 200;
  PlaceMany(kFiles, "2025-11");
  auto proxy = StartFaultProxy({});
  std::atomic<bool> done{false};
  std::thread killer([&] {
    while (!done && Keys().size() < 20) std::this_thread::sleep_for(std::chrono::milliseconds(20));
    proxy->Stop();
  });
  ProcessResult run =
      RunProcess(Through(*proxy, SyncArgs({"--concurrency", "1", "-vv"})), SyncEnvironment());
  done = true;
  killer.join();

  EXPECT_EQ(run.exit_code, 1) << run.stderr_text;
  int tries_after_death = 0;
  std::vector<std::string> errors;
  for (const std::string& line : SplitLines(run.stderr_text)) {
    if (line.starts_with("slack-intel: debug: ")) {
      if (line.find("-> HTTP") == std::string::npos && line.find(" -> ") != std::string::npos)
        ++tries_after_death;
    } else if (!line.starts_with("slack-intel: info: ")) {
      errors.push_back(line);
    }
  }
  ASSERT_EQ(errors.size(), 1u) << run.stderr_text.substr(run.stderr_text.size() - 3000);
  EXPECT_NE(errors[0].find("stopped answering"), std::string::npos) << errors[0];
  EXPECT_NE(errors[0].find("rerun"), std::string::npos) << errors[0];
  // One request's tries (5), not one set per file: the old client made ~900 here.
  EXPECT_LE(tries_after_death, 10) << run.stderr_text.substr(run.stderr_text.size() - 3000);
  EXPECT_LT(Keys().size(), static_cast<size_t>(kFiles)) << "it died too late to test anything";

  ProcessResult rerun = Sync({"--json"});
  ASSERT_EQ(rerun.exit_code, 0) << rerun.stderr_text;
  EXPECT_EQ(Keys().size(), static_cast<size_t>(kFiles) + 4);
  EXPECT_EQ(Summary(Sync({"--json"}))["uploaded"], 0) << "the rerun left nothing to do";
}

// One request in ten fails on its way (503 SlowDown, or the connection cut halfway through the
// reply): the sync retries through it, completes, and every object holds its file's bytes.
TEST_F(SyncE2E, WithOneRequestInTenFailingTheSyncCompletesAndEveryObjectIsRight) {
  constexpr int kFiles = 60;
  PlaceMany(kFiles, "2025-12");
  auto proxy = StartFaultProxy({"--seed", "7", "--slowdown-rate", "0.05", "--reset-rate", "0.05"});
  ProcessResult run = RunProcess(Through(*proxy, SyncArgs({"--json"})), SyncEnvironment());
  ASSERT_EQ(run.exit_code, 0) << run.stderr_text;
  const nlohmann::json faults = FaultCounts(*proxy);
  EXPECT_GT(faults["slowdown"].get<int>() + faults["reset"].get<int>(), 3) << faults;
  const std::vector<std::string> keys = Keys();
  ASSERT_EQ(keys.size(), static_cast<size_t>(kFiles) + 4);
  for (const std::string& key : keys) EXPECT_TRUE(Get(key) == LocalBytes(key)) << key;
  ProcessResult again = RunProcess(Through(*proxy, SyncArgs({"--json"})), SyncEnvironment());
  ASSERT_EQ(again.exit_code, 0) << again.stderr_text;
  EXPECT_EQ(Summary(again)["uploaded"], 0);
}

// A bit flipped on the way is caught both ways: on upload S3 checks the Content-MD5 (the PUT
// is refused and sent again), on --pull the download is checked against the MD5 the object
// vouches for, so a good local file is never replaced by bad bytes.
TEST_F(SyncE2E, FlippedBytesAreCaughtAndNeverStored) {
  auto flipping_uploads = StartFaultProxy({"--flip-request-every", "3"});
  ProcessResult pushed =
      RunProcess(Through(*flipping_uploads, SyncArgs({"--json"})), SyncEnvironment());
  ASSERT_EQ(pushed.exit_code, 0) << pushed.stderr_text << pushed.stdout_text;
  EXPECT_GT(FaultCounts(*flipping_uploads)["flip_request"].get<int>(), 0);
  for (const std::string& key : Keys()) EXPECT_TRUE(Get(key) == LocalBytes(key)) << key;

  const fs::path copy = dir_.path() / "colleague/cache";
  ASSERT_EQ(Sync({"--pull"}, "", copy).exit_code, 0);
  const std::string relative = "raw/messages/dt=2025-10-21/channel=engineering/data.parquet";
  const std::string good = ReadFileBytes(copy / relative);
  Place("duckdb-dictionary.parquet", relative);  // a new version upstream
  ASSERT_EQ(Sync().exit_code, 0);
  auto flipping_downloads = StartFaultProxy({"--seed", "5", "--flip-response-rate", "1"});
  ProcessResult pulled =
      RunProcess(Through(*flipping_downloads, SyncArgs({"--pull"}, copy)), SyncEnvironment());
  EXPECT_EQ(pulled.exit_code, 1);
  EXPECT_NE(pulled.stderr_text.find("MD5"), std::string::npos) << pulled.stderr_text;
  EXPECT_TRUE(ReadFileBytes(copy / relative) == good) << "a good file was replaced by bad bytes";
  for (const auto& entry : fs::recursive_directory_iterator(copy))
    EXPECT_FALSE(entry.path().filename().string().ends_with(".tmp")) << entry.path();
  ASSERT_EQ(Sync({"--pull"}, "", copy).exit_code, 0);
  EXPECT_TRUE(ReadFileBytes(copy / relative) == ReadFileBytes(cache_ / relative));
}

// TLS is verified; only --no-verify-ssl turns that off, and it says what that costs.
TEST_F(SyncE2E, TlsIsVerifiedAndOnlyAnExplicitFlagTurnsItOffWithAWarning) {
  const std::string cert = (dir_.path() / "self.crt").string();
  const std::string key = (dir_.path() / "self.key").string();
  ProcessResult made =
      RunProcess({"openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
                  "-nodes", "-days", "2", "-subj", "/CN=localhost", "-addext",
                  "subjectAltName=IP:127.0.0.1", "-keyout", key, "-out", cert});
  ASSERT_EQ(made.exit_code, 0) << made.stderr_text;
  auto tls = ServerProcess::Start(
      {"node", std::string(SLACK_INTEL_SOURCE_DIR) + "/tests/support/echo_server.mjs"},
      {{"TLS_CERT", cert}, {"TLS_KEY", key}});
  std::vector<std::string> args = SyncArgs({});
  *std::find(args.begin(), args.end(), server_.endpoint) =
      "https://127.0.0.1:" + std::to_string(tls->port());
  ProcessResult refused = RunProcess(args, SyncEnvironment());
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_NE(refused.stderr_text.find("does not verify"), std::string::npos) << refused.stderr_text;
  args.push_back("--no-verify-ssl");
  ProcessResult insecure = RunProcess(args, SyncEnvironment());
  EXPECT_NE(insecure.stderr_text.find("--no-verify-ssl: the endpoint's TLS certificate is not "
                                      "checked"),
            std::string::npos)
      << insecure.stderr_text;
  EXPECT_EQ(insecure.stderr_text.find("does not verify"), std::string::npos)
      << "past TLS (the echo server is no S3 server): " << insecure.stderr_text;
}

// kill -9 at seeded random moments of a sync of many files and a multipart one: after each, every
// object in the bucket is a whole file, never a part; the rerun converges, leaving the bucket
// equal to the cache and no multipart upload behind.
TEST_F(SyncE2E, KilledAtRandomMomentsNoObjectIsPartialAndTheRerunConverges) {
  constexpr int kFiles = 150;
  PlaceMany(kFiles, "2025-09");
  WriteBigParquet("raw/messages/dt=2025-09-30/channel=big/data.parquet");
  const std::vector<std::string> flags = {
      "--multipart-threshold", "5MB", "--multipart-chunksize", "5MB", "--concurrency", "4"};
  // Each run is killed once a number of objects drawn from a seed is in the bucket: at random
  // but repeatable points of its progress, whatever the machine's speed. After each, whole
  // objects only; then the bucket is emptied, so that the next run has the whole job again
  // (what the killed runs leave, their journal of multipart uploads and their unfinished mark,
  // stays for the runs after them to deal with).
  std::mt19937 random(41);
  int killed = 0;
  for (int run = 0; run < 10; ++run) {
    const size_t at = random() % (kFiles + 5);
    killed += KillSyncWhen(flags, [&] { return Keys().size() >= at; });
    for (const std::string& key : Keys()) {
      EXPECT_TRUE(Get(key) == LocalBytes(key)) << "after run " << run << ": " << key;
      if (run < 9) ReferenceS3Request(server_, "DELETE", ObjectPath(key));
    }
  }
  EXPECT_GE(killed, 5) << "most runs must be killed mid-way to test anything";
  ProcessResult rerun = Sync(flags);
  ASSERT_EQ(rerun.exit_code, 0) << rerun.stderr_text;
  const std::vector<std::string> keys = Keys();
  EXPECT_EQ(keys.size(), static_cast<size_t>(kFiles) + 5);
  for (const std::string& key : keys) EXPECT_TRUE(Get(key) == LocalBytes(key)) << key;
  EXPECT_EQ(Boto3("uploads", "prod/").stdout_text, "[]") << "a multipart upload was left behind";
  EXPECT_EQ(Summary(Sync({"--json"}))["uploaded"], 0);
}

// A --pull onto a disk that fills up (a small tmpfs, in a mount namespace of the test's own):
// one clear line, exit 1, every file that was there byte for byte, no temp file; once there is
// room, the next pull converges.
TEST_F(SyncE2E, APullOntoAFullDiskFailsClearlyAndKeepsTheCacheAndItsState) {
  ASSERT_EQ(Sync().exit_code, 0);
  const fs::path copy = dir_.path() / "colleague/cache";
  ASSERT_EQ(Sync({"--pull"}, "", copy).exit_code, 0);
  WriteBigParquet("raw/messages/dt=2025-10-24/channel=big/data.parquet");  // 48 MiB
  ASSERT_EQ(Sync({"--multipart-threshold", "5MB"}).exit_code, 0);
  const fs::path out = dir_.path() / "out";
  fs::create_directories(out);
  const std::string script = R"(
    sums . > "$OUT/before"
    pull() {
      "$BIN" sync --pull --bucket "$BUCKET" --endpoint-url "$ENDPOINT" --prefix prod \
        --cache-path "$MNT/cache"
    }
    pull > "$OUT/stdout" 2> "$OUT/stderr"
    echo $? > "$OUT/code"
    sums . > "$OUT/after"
    find "$MNT/cache" -name '*.tmp' > "$OUT/temps"
    mount -o remount,size=256m "$MNT"
    pull > /dev/null 2> "$OUT/stderr-again"
    echo $? > "$OUT/code-again"
    cmp -s "$MNT/cache/raw/messages/dt=2025-10-24/channel=big/data.parquet" "$BIG" &&
      echo same > "$OUT/big"
  )";
  std::map<std::string, std::string> env = SyncEnvironment();
  env.insert({{"OUT", out.string()},
              {"BIN", SLACK_INTEL_BIN_PATH},
              {"BUCKET", bucket_},
              {"ENDPOINT", server_.endpoint},
              {"BIG", (cache_ / "raw/messages/dt=2025-10-24/channel=big/data.parquet").string()}});
  ProcessResult run =
      RunOnASmallDisk(dir_.path() / "small-disk", TmpfsBytes(copy) + (1 << 20), copy, script, env);
  ASSERT_EQ(run.exit_code, 0) << "the small disk could not be set up: " << run.stderr_text;
  const std::string stderr_text = ReadFileBytes(out / "stderr");
  EXPECT_EQ(ReadFileBytes(out / "code"), "1\n") << stderr_text;
  EXPECT_NE(stderr_text.find("No space left on device"), std::string::npos) << stderr_text;
  const std::string before = ReadFileBytes(out / "before");
  const std::string after = ReadFileBytes(out / "after");
  ASSERT_FALSE(before.empty());
  for (const std::string& line : SplitLines(before)) {
    if (line.find("./.slack-intel/") != std::string::npos) continue;  // state may be rewritten
    EXPECT_NE(after.find(line), std::string::npos) << "changed or gone: " << line;
  }
  EXPECT_EQ(ReadFileBytes(out / "temps"), "") << "temp files left on the full disk";
  EXPECT_EQ(ReadFileBytes(out / "code-again"), "0\n") << ReadFileBytes(out / "stderr-again");
  EXPECT_EQ(ReadFileBytes(out / "big"), "same\n") << "the next pull did not converge";
}

TEST_F(SyncE2E, Boto3SeesTheKeysBytesAndContentMd5sWeUploaded) {
  Place("slack-intel-every-type.parquet", "raw/messages/dt=2025-10-25/channel=x/data.parquet");
  ASSERT_EQ(Sync({"--multipart-threshold", "5MB"}).exit_code, 0);
  ProcessResult listed = Boto3("list", "prod/");
  ASSERT_EQ(listed.exit_code, 0) << listed.stderr_text;
  const auto objects = nlohmann::json::parse(listed.stdout_text);
  ASSERT_EQ(objects.size(), 5u) << listed.stdout_text;
  for (const auto& [key, object] : objects.items()) {
    const std::string relative = key.find('/') == std::string::npos ? key : "raw/" + key;
    const std::string local = ReadFileBytes(cache_ / relative);
    EXPECT_EQ(object["size"], local.size()) << key;
    EXPECT_EQ(object["md5_of_body"], object["md5chksum_hex"]) << key;
    EXPECT_EQ(object["content_type"], "application/vnd.apache.parquet") << key;
  }
}

TEST_F(SyncE2E, AProgressLineOnATerminalOnlyAndNeverInPipesOrJson) {
  // script(1) gives the run a terminal; its output comes back through the pipe.
  std::string command;
  for (const std::string& arg :
       {std::string(SLACK_INTEL_BIN_PATH), std::string("sync"), std::string("--bucket"), bucket_,
        std::string("--endpoint-url"), server_.endpoint, std::string("--cache-path"),
        cache_.string(), std::string("--concurrency"), std::string("1")}) {
    command += "'" + arg + "' ";
  }
  std::map<std::string, std::string> env = {{"AWS_ACCESS_KEY_ID", server_.access_key},
                                            {"AWS_SECRET_ACCESS_KEY", server_.secret_key},
                                            {"AWS_EC2_METADATA_DISABLED", "true"},
                                            {"HOME", dir_.path().string()},
                                            {"TERM", "xterm"}};
  // Enough bytes that the line is drawn at least once (it redraws every 200 ms).
  Write("raw/messages/dt=2025-10-26/channel=big/data.bin", std::string(64 << 20, 'x'));
  ProcessResult tty = RunProcess({"script", "-qec", command, "/dev/null"}, env);
  ASSERT_EQ(tty.exit_code, 0) << tty.stdout_text;
  EXPECT_NE(tty.stdout_text.find(" files  "), std::string::npos) << tty.stdout_text;
  EXPECT_NE(tty.stdout_text.find("\r\033[K"), std::string::npos);
  EXPECT_NE(tty.stdout_text.find("uploaded 5 file(s)"), std::string::npos);

  Write("raw/messages/dt=2025-10-26/channel=big/data.bin", std::string(64 << 20, 'y'));
  ProcessResult quiet = RunProcess({"script", "-qec", command + "--no-progress", "/dev/null"}, env);
  ASSERT_EQ(quiet.exit_code, 0) << quiet.stdout_text;
  EXPECT_EQ(quiet.stdout_text.find("\033[K"), std::string::npos) << "--no-progress";
  Write("raw/messages/dt=2025-10-26/channel=big/data.bin", std::string(64 << 20, 'w'));
  env["TERM"] = "dumb";  // a terminal that cannot erase a line (Emacs shells, some CI consoles)
  ProcessResult dumb = RunProcess({"script", "-qec", command, "/dev/null"}, env);
  ASSERT_EQ(dumb.exit_code, 0) << dumb.stdout_text;
  EXPECT_EQ(dumb.stdout_text.find("\033[K"), std::string::npos) << "TERM=dumb";
  Write("raw/messages/dt=2025-10-26/channel=big/data.bin", std::string(64 << 20, 'z'));
  ProcessResult piped = Sync();
  EXPECT_EQ(piped.stderr_text.find("\033[K"), std::string::npos) << "no terminal, no line";
}

// athena-ddl's users table reads users.parquet through a manifest under _athena/: sync never
// deletes it (not even with --include '*'), nor pulls it into the cache.
TEST_F(SyncE2E, TheAthenaManifestIsNeverDeletedOrPulled) {
  ASSERT_EQ(Sync().exit_code, 0);
  const std::string manifest = "prod/_athena/users/symlink.txt";
  ASSERT_EQ(Boto3("put", manifest, "s3://" + bucket_ + "/prod/users.parquet\n").exit_code, 0);
  ProcessResult run = Sync({"--delete", "--include", "*", "--json"});
  ASSERT_EQ(run.exit_code, 0) << run.stderr_text;
  EXPECT_EQ(Summary(run)["deleted"], 0) << run.stdout_text;
  const auto keys = Keys();
  EXPECT_NE(std::find(keys.begin(), keys.end(), manifest), keys.end());
  const fs::path copy = dir_.path() / "colleague/cache";
  ProcessResult pulled = Sync({"--pull", "--delete", "--json"}, "", copy);
  ASSERT_EQ(pulled.exit_code, 0) << pulled.stderr_text;
  EXPECT_FALSE(fs::exists(copy / "_athena")) << pulled.stdout_text;
  EXPECT_FALSE(fs::exists(copy / "raw/_athena")) << pulled.stdout_text;
}

// The roadmap's auto-sync: `import --sync` (and sync.auto in the config file) syncs what the
// import wrote, with sync's destination flags; a failed import never syncs.
TEST_F(SyncE2E, ImportWithSyncUploadsWhatItWroteAndAFailedImportSyncsNothing) {
  const fs::path fixture =
      fs::path(SLACK_INTEL_SOURCE_DIR) / "tests/testdata/slack-export-viewer-testarchive";
  const fs::path imported = dir_.path() / "imported";
  std::vector<std::string> import = {SLACK_INTEL_BIN_PATH, "import",          fixture.string(),
                                     "--cache-path",       imported.string(), "--no-jira"};
  auto with = [](std::vector<std::string> args, const std::vector<std::string>& extra) {
    args.insert(args.end(), extra.begin(), extra.end());
    return args;
  };
  const std::vector<std::string> destination = {"--bucket", bucket_,          "--prefix",
                                                "auto",     "--endpoint-url", server_.endpoint};

  // No bucket: refused before anything is imported.
  ProcessResult no_bucket = RunProcess(with(import, {"--sync"}), SyncEnvironment());
  EXPECT_EQ(no_bucket.exit_code, 1);
  EXPECT_NE(no_bucket.stderr_text.find("import --sync (or sync.auto in the config file) needs a "
                                       "destination"),
            std::string::npos)
      << no_bucket.stderr_text;
  EXPECT_FALSE(fs::exists(imported));

  // A failed import: nothing synced.
  const fs::path broken = dir_.path() / "broken.zip";
  std::ofstream(broken) << "PK\x03\x04 not a zip";
  std::vector<std::string> failing = import;
  failing[2] = broken.string();
  ProcessResult failed =
      RunProcess(with(failing, with({"--sync"}, destination)), SyncEnvironment());
  EXPECT_EQ(failed.exit_code, 1);
  EXPECT_TRUE(Keys().empty()) << failed.stdout_text;

  ProcessResult run = RunProcess(with(import, with({"--sync"}, destination)), SyncEnvironment());
  ASSERT_EQ(run.exit_code, 0) << run.stderr_text;
  std::set<std::string> expected;
  for (const auto& entry : fs::recursive_directory_iterator(imported)) {
    if (!entry.is_regular_file()) continue;
    const std::string relative = fs::relative(entry.path(), imported).generic_string();
    if (relative.starts_with(".slack-intel")) continue;
    expected.insert("auto/" + (relative.starts_with("raw/") ? relative.substr(4) : relative));
  }
  const auto keys = Keys();
  EXPECT_EQ(std::set<std::string>(keys.begin(), keys.end()), expected);
  EXPECT_GT(expected.size(), 10u);
  EXPECT_NE(run.stdout_text.find("upload: "), std::string::npos) << run.stdout_text;

  // sync.auto in the config file: the next import syncs without the flag (nothing changed, so
  // nothing is uploaded), and --no-sync turns it off for one run.
  const fs::path config = dir_.path() / "auto.yaml";
  std::ofstream(config) << "sync:\n  auto: true\ns3:\n  bucket: " << bucket_
                        << "\n  prefix: auto/\n  endpoint_url: " << server_.endpoint << "\n";
  std::vector<std::string> configured = import;
  configured.insert(configured.begin() + 1, {"--config", config.string()});
  ProcessResult again = RunProcess(with(configured, {"--json"}), SyncEnvironment());
  ASSERT_EQ(again.exit_code, 0) << again.stderr_text;
  EXPECT_EQ(Summary(again)["uploaded"], 0) << again.stdout_text;
  EXPECT_EQ(Summary(again)["skipped"], static_cast<int>(expected.size())) << again.stdout_text;
  ProcessResult off = RunProcess(with(configured, {"--json", "--no-sync"}), SyncEnvironment());
  ASSERT_EQ(off.exit_code, 0) << off.stderr_text;
  EXPECT_FALSE(Summary(off).contains("hashed_files")) << "no sync summary: " << off.stdout_text;
}

// `slack-intel lifecycle` on Ceph RGW: --dry-run shows the merged configuration and writes
// nothing; the real run adds our rule beside the bucket's own, which stays; a second run for
// the same prefix replaces ours instead of adding another.
TEST_F(SyncE2E, LifecycleAddsItsRuleAndKeepsTheBucketsOtherRules) {
  const std::string theirs =
      R"([{"ID": "team-logs", "Filter": {"Prefix": "logs/"}, "Status": "Enabled",
           "Expiration": {"Days": 3}}])";
  ASSERT_EQ(Boto3("lifecycle-put", "-", theirs).exit_code, 0);
  // ID -> rule (RGW lists rules by ID, S3 in their order).
  const auto rules = [&] {
    ProcessResult got = Boto3("lifecycle-get", "-");
    EXPECT_EQ(got.exit_code, 0) << got.stderr_text;
    std::map<std::string, nlohmann::json> by_id;
    for (const auto& rule : nlohmann::json::parse(got.stdout_text)) by_id[rule["ID"]] = rule;
    return by_id;
  };
  const nlohmann::json before = rules();
  auto lifecycle = [&](std::vector<std::string> extra) {
    std::vector<std::string> args = {
        SLACK_INTEL_BIN_PATH, "lifecycle", "--bucket",       bucket_,
        "--prefix",           "prod",      "--endpoint-url", server_.endpoint};
    args.insert(args.end(), extra.begin(), extra.end());
    return RunProcess(args, SyncEnvironment());
  };
  ProcessResult dry = lifecycle({"--expire-days", "400", "--dry-run"});
  ASSERT_EQ(dry.exit_code, 0) << dry.stderr_text;
  EXPECT_NE(dry.stdout_text.find("<ID>team-logs</ID>"), std::string::npos) << dry.stdout_text;
  EXPECT_NE(dry.stdout_text.find("<ID>slack-intel prod/</ID>"), std::string::npos);
  EXPECT_EQ(rules(), before) << "a dry run writes nothing";

  ProcessResult set = lifecycle({"--expire-days", "400"});
  ASSERT_EQ(set.exit_code, 0) << set.stderr_text;
  EXPECT_NE(set.stderr_text.find("sync uploads again whatever the cache still holds"),
            std::string::npos);
  auto after = rules();
  ASSERT_EQ(after.size(), 2u);
  EXPECT_EQ(after["team-logs"], before.at("team-logs")) << "the bucket's own rule, unchanged";
  EXPECT_EQ(after["slack-intel prod/"]["Filter"]["Prefix"], "prod/");
  EXPECT_EQ(after["slack-intel prod/"]["Expiration"]["Days"], 400);

  ProcessResult again = lifecycle(
      {"--transition-days", "30", "--storage-class", "STANDARD_IA", "--expire-days", "500"});
  ASSERT_EQ(again.exit_code, 0) << again.stderr_text;
  after = rules();
  ASSERT_EQ(after.size(), 2u);
  EXPECT_EQ(after["slack-intel prod/"]["Expiration"]["Days"], 500);
  EXPECT_EQ(after["slack-intel prod/"]["Transitions"],
            nlohmann::json::parse(R"([{"Days": 30, "StorageClass": "STANDARD_IA"}])"));
  EXPECT_EQ(after["team-logs"], before.at("team-logs"));

  ProcessResult refused = lifecycle({"--transition-days", "7", "--storage-class", "STANDARD_IA"});
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_NE(refused.stderr_text.find("30 days or more"), std::string::npos) << refused.stderr_text;
}

}  // namespace
}  // namespace slack_intel::testing
