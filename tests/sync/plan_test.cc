#include "sync/plan.h"

#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <thread>

#include "support/temp_dir.h"
#include "sync/key_filter.h"
#include "sync/local_files.h"
#include "sync/manifest.h"
#include "sync/sync_runner.h"

namespace slack_intel::sync {
namespace {

LocalFile Local(const std::string& key, uint64_t size, int64_t mtime_s = 1761004800) {
  LocalFile f;
  f.key = key;
  f.in_raw = true;
  f.stamp.size_bytes = size;
  f.stamp.mtime_ns = mtime_s * 1'000'000'000;
  return f;
}

// LastModified 2025-10-21T00:00:00Z = 1761004800.
s3::ObjectSummary Remote(const std::string& key, uint64_t size, const std::string& etag = "e",
                         const std::string& last_modified = "2025-10-21T00:00:00.000Z") {
  return {key, size, etag, last_modified};
}

struct Row {
  ActionKind kind;
  std::string key;
  bool operator==(const Row&) const = default;
};

std::vector<Row> Kinds(const std::vector<Action>& plan) {
  std::vector<Row> rows;
  for (const Action& a : plan) rows.push_back({a.kind, a.key()});
  return rows;
}

TEST(SyncPlan, PushCopiesNewAndResizedComparesSameSizeDeletesGoneOnlyWhenAsked) {
  const std::vector<LocalFile> local = {Local("a", 10), Local("b", 10), Local("e", 7)};
  const std::vector<s3::ObjectSummary> remote = {Remote("b", 10), Remote("d", 3), Remote("e", 8)};
  EXPECT_EQ(Kinds(MakePlan(local, remote, {Direction::kPush, CompareMode::kContent, true})),
            (std::vector<Row>{{ActionKind::kTransfer, "a"},
                              {ActionKind::kCompare, "b"},
                              {ActionKind::kDelete, "d"},
                              {ActionKind::kTransfer, "e"}}));
  EXPECT_EQ(Kinds(MakePlan(local, remote, {Direction::kPush, CompareMode::kContent, false})),
            (std::vector<Row>{{ActionKind::kTransfer, "a"},
                              {ActionKind::kCompare, "b"},
                              {ActionKind::kTransfer, "e"}}));
}

TEST(SyncPlan, PullIsTheMirrorImage) {
  const std::vector<LocalFile> local = {Local("a", 10), Local("b", 10)};
  const std::vector<s3::ObjectSummary> remote = {Remote("b", 10), Remote("c", 3)};
  EXPECT_EQ(
      Kinds(MakePlan(local, remote, {Direction::kPull, CompareMode::kContent, true})),
      (std::vector<Row>{
          {ActionKind::kDelete, "a"}, {ActionKind::kCompare, "b"}, {ActionKind::kTransfer, "c"}}));
  EXPECT_EQ(Kinds(MakePlan(local, remote, {Direction::kPull, CompareMode::kContent, false})),
            (std::vector<Row>{{ActionKind::kCompare, "b"}, {ActionKind::kTransfer, "c"}}));
}

TEST(SyncPlan, CompareMtimeCopiesWhenTheSourceIsNewerLikeAwsS3Sync) {
  const int64_t remote_time = 1761004800;
  const std::vector<s3::ObjectSummary> remote = {Remote("k", 5)};
  auto plan = [&](int64_t local_mtime, Direction direction) {
    return MakePlan({Local("k", 5, local_mtime)}, remote, {direction, CompareMode::kMtime, false})
        .front()
        .kind;
  };
  EXPECT_EQ(plan(remote_time + 1, Direction::kPush), ActionKind::kTransfer);
  EXPECT_EQ(plan(remote_time, Direction::kPush), ActionKind::kSkip);
  EXPECT_EQ(plan(remote_time - 60, Direction::kPush), ActionKind::kSkip);  // content not looked at
  EXPECT_EQ(plan(remote_time - 60, Direction::kPull), ActionKind::kTransfer);
  EXPECT_EQ(plan(remote_time, Direction::kPull), ActionKind::kSkip);
  // Size alone: a same-size file is never copied; another size always is.
  EXPECT_EQ(MakePlan({Local("k", 5, remote_time + 100)}, remote,
                     {Direction::kPush, CompareMode::kSize, false})
                .front()
                .kind,
            ActionKind::kSkip);
  EXPECT_EQ(
      MakePlan({Local("k", 6)}, remote, {Direction::kPush, CompareMode::kSize, false}).front().kind,
      ActionKind::kTransfer);
}

TEST(SyncPlan, EmptySides) {
  const PlanOptions push_delete{Direction::kPush, CompareMode::kContent, true};
  EXPECT_TRUE(MakePlan({}, {}, push_delete).empty());
  EXPECT_EQ(MakePlan({}, {Remote("x", 1)}, push_delete).size(), 1u);
  EXPECT_TRUE(
      MakePlan({}, {Remote("x", 1)}, {Direction::kPush, CompareMode::kContent, false}).empty());
}

TEST(SyncPlan, KeysCompareAsBytesLikeS3Listings) {
  // 'é' (0xC3..) sorts after 'z' in S3's byte order; a signed compare would put it first.
  const std::vector<LocalFile> local = {Local("channel=z", 1), Local("channel=é", 1)};
  const std::vector<s3::ObjectSummary> remote = {Remote("channel=z", 1), Remote("channel=é", 1)};
  EXPECT_EQ(Kinds(MakePlan(local, remote, {Direction::kPush, CompareMode::kSize, true})),
            (std::vector<Row>{{ActionKind::kSkip, "channel=z"}, {ActionKind::kSkip, "channel=é"}}));
}

TEST(ContentMatches, MultipartETagsAreComparedAsMultipartETagsNeverAsMd5) {
  const LocalDigest big{"0123456789abcdef0123456789abcdef", "feedfacefeedfacefeedfacefeedface-3"};
  EXPECT_TRUE(ContentMatches(big, Remote("big", 1, "feedfacefeedfacefeedfacefeedface-3"), "", ""));
  EXPECT_FALSE(ContentMatches(big, Remote("big", 1, "feedfacefeedfacefeedfacefeedface-5"), "",
                              ""));  // another part size: not proven
  EXPECT_TRUE(ContentMatches(big, Remote("big", 1, "0123456789abcdef0123456789abcdef"), "", ""));
  EXPECT_FALSE(ContentMatches({"abc", ""}, Remote("k", 5, ""), "", ""));  // no ETag: not proven
}

TEST(ContentMatches, AnOpaqueETagMatchesOnlyWhenTheManifestSawItWithThisContent) {
  const LocalDigest file{"0123456789abcdef0123456789abcdef", ""};
  const s3::ObjectSummary kms = Remote("k", 5, "9999aaaa9999aaaa9999aaaa9999aaaa");  // SSE-KMS
  EXPECT_TRUE(ContentMatches(file, kms, file.md5_hex, kms.etag));
  EXPECT_FALSE(ContentMatches(file, kms, "ffff0000ffff0000ffff0000ffff0000", kms.etag));
  EXPECT_FALSE(ContentMatches(file, kms, file.md5_hex, "another-etag"));
  EXPECT_FALSE(ContentMatches(file, kms, "", ""));
}

TEST(NormalizePrefix, AddsOneTrailingSlashAndDropsLeadingOnes) {
  EXPECT_EQ(NormalizePrefix(""), "");
  EXPECT_EQ(NormalizePrefix("prod"), "prod/");
  EXPECT_EQ(NormalizePrefix("prod/"), "prod/");
  EXPECT_EQ(NormalizePrefix("/daily/2025-10-21/"), "daily/2025-10-21/");
}

TEST(LocalFiles, MapsRawToTheBucketRootAndSkipsHiddenAndTemporaryFiles) {
  testing::TempDir dir;
  auto write = [&](const std::string& relative) {
    std::filesystem::create_directories((dir.path() / relative).parent_path());
    std::ofstream(dir.path() / relative) << "x";
  };
  write("raw/messages/dt=2025-10-21/channel=dev ops/data.parquet");
  write("raw/jira/dt=2025-10-21/data.parquet");
  write("users.parquet");
  write(".slack-intel/manifest.json");
  write("raw/messages/dt=2025-10-21/channel=eng/.data.parquet.inprogress");
  write("raw/messages/dt=2025-10-21/channel=eng/data.parquet.tmp");
  auto files = ListCacheFiles(dir.path());
  ASSERT_TRUE(files.ok()) << files.status().message();
  std::vector<std::string> keys;
  for (const auto& f : *files) keys.push_back(f.key);
  EXPECT_EQ(keys, (std::vector<std::string>{"jira/dt=2025-10-21/data.parquet",
                                            "messages/dt=2025-10-21/channel=dev ops/data.parquet",
                                            "users.parquet"}));
  EXPECT_EQ(ListCacheFiles(dir.path() / "missing").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(files->front().relative(), "raw/jira/dt=2025-10-21/data.parquet");
  EXPECT_EQ(files->front().stamp.size_bytes, 1u);
}

TEST(LocalFiles, StampsChangeWithEveryWriteEvenWhenTheMtimeIsSetBack) {
  testing::TempDir dir;
  const auto path = dir.path() / "f";
  std::ofstream(path) << "abc";
  auto before = StatFile(path);
  ASSERT_TRUE(before.ok());
  const auto mtime = std::filesystem::last_write_time(path);
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  std::ofstream(path) << "xyz";  // same size
  std::filesystem::last_write_time(path, mtime);
  auto after = StatFile(path);
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(after->size_bytes, before->size_bytes);
  EXPECT_EQ(after->mtime_ns, before->mtime_ns);
  EXPECT_NE(after->ctime_ns, before->ctime_ns);
  EXPECT_FALSE(*after == *before);
}

TEST(CacheRelativePathForKey, MapsKeysBackAndRefusesAnyPathOutOfTheCache) {
  EXPECT_EQ(*CacheRelativePathForKey("messages/dt=2025-10-21/channel=dev ops/data.parquet"),
            "raw/messages/dt=2025-10-21/channel=dev ops/data.parquet");
  EXPECT_EQ(*CacheRelativePathForKey("users.parquet"), "users.parquet");
  for (const std::string bad :
       {"../etc/passwd", "a/../../b", "/abs/file", "a\\b", "a//b", "./a", "a/.", "",
        ".slack-intel/sync/x.manifest", "a/.data.parquet.tmp", "a/data.tmp", "a/"}) {
    auto mapped = CacheRelativePathForKey(bad);
    EXPECT_EQ(mapped.status().code(), StatusCode::kInvalidArgument) << bad;
  }
}

TEST(KeyFilter, TheLastMatchingFilterWinsAndStarsCrossSlashes) {
  KeyFilter filter;
  EXPECT_TRUE(filter.Includes("anything"));
  filter.Exclude("messages/*");
  filter.Include("messages/dt=2025-10-2?/*");
  filter.Exclude("*channel=random*");
  EXPECT_FALSE(filter.Includes("messages/dt=2025-09-01/channel=eng/data.parquet"));
  EXPECT_TRUE(filter.Includes("messages/dt=2025-10-21/channel=eng/data.parquet"));
  EXPECT_FALSE(filter.Includes("messages/dt=2025-10-21/channel=random/data.parquet"));
  EXPECT_TRUE(filter.Includes("jira/dt=2025-10-21/data.parquet"));
  EXPECT_TRUE(filter.Includes("users.parquet"));
}

TEST(Manifest, RoundTripsAndTreatsDamageAsEmpty) {
  testing::TempDir dir;
  const auto path =
      Manifest::PathFor(dir.path(), "http://127.0.0.1:1", "bucket", "prod/", "manifest");
  EXPECT_EQ(path.parent_path(), dir.path() / ".slack-intel/sync");
  EXPECT_NE(path,
            Manifest::PathFor(dir.path(), "http://127.0.0.1:1", "bucket", "dev/", "manifest"));
  Manifest written;
  written.Set("messages/dt=2025-10-21/channel=é/data.parquet",
              {{10, 1, 2, 3}, "0123456789abcdef0123456789abcdef", "ab-2", 8 << 20, "etag-1"});
  written.Set("users.parquet", {{5, 4, 5, 6}, "md5", "", 0, "etag-2"});
  ASSERT_TRUE(written.Save(path).ok());
  Manifest read;
  read.Load(path);
  EXPECT_EQ(read.size(), 2u);
  auto entry = read.Find("messages/dt=2025-10-21/channel=é/data.parquet");
  ASSERT_TRUE(entry.has_value());
  EXPECT_TRUE(entry->stamp == (FileStamp{10, 1, 2, 3}));
  EXPECT_EQ(entry->multipart_etag, "ab-2");
  EXPECT_EQ(entry->part_size, 8u << 20);
  EXPECT_EQ(entry->remote_etag, "etag-1");
  read.Retain([](const std::string& key) { return key == "users.parquet"; });
  EXPECT_EQ(read.size(), 1u);

  std::ofstream(path, std::ios::app) << "[\"truncated\", 1";  // a damaged last line
  Manifest damaged;
  damaged.Load(path);
  EXPECT_EQ(damaged.size(), 0u);
  Manifest missing;
  missing.Load(dir.path() / "nope");
  EXPECT_EQ(missing.size(), 0u);
}

TEST(LocalFiles, TwoFilesForOneKeyAreAnError) {
  testing::TempDir dir;
  std::filesystem::create_directories(dir.path() / "raw");
  std::ofstream(dir.path() / "users.parquet") << "x";
  std::ofstream(dir.path() / "raw/users.parquet") << "y";
  EXPECT_EQ(ListCacheFiles(dir.path()).status().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace slack_intel::sync
