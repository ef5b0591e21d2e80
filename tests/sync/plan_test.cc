#include "sync/plan.h"

#include <gtest/gtest.h>

#include <fstream>

#include "support/temp_dir.h"
#include "sync/sync_runner.h"

namespace slack_intel::sync {
namespace {

LocalEntry Local(const std::string& key, uint64_t size, const std::string& md5,
                 const std::string& multipart = "") {
  LocalEntry e;
  e.file.key = key;
  e.file.size_bytes = size;
  e.md5_hex = md5;
  e.multipart_etag = multipart;
  return e;
}

s3::ObjectSummary Remote(const std::string& key, uint64_t size, const std::string& etag) {
  return {key, size, etag, "2025-10-21T00:00:00.000Z"};
}

struct Row {
  ActionKind kind;
  std::string key;
};

std::vector<Row> Kinds(const std::vector<Action>& plan) {
  std::vector<Row> rows;
  for (const Action& a : plan) rows.push_back({a.kind, a.key});
  return rows;
}

bool operator==(const Row& a, const Row& b) { return a.kind == b.kind && a.key == b.key; }

TEST(SyncPlan, UploadsNewAndChangedSkipsSameDeletesGoneOnlyWhenAsked) {
  const std::vector<LocalEntry> local = {Local("a", 10, "aaa"), Local("b", 10, "bbb"),
                                         Local("c", 10, "new"), Local("e", 7, "eee")};
  const std::vector<s3::ObjectSummary> remote = {Remote("b", 10, "bbb"), Remote("c", 10, "old"),
                                                 Remote("d", 3, "ddd"), Remote("e", 8, "eee")};
  EXPECT_EQ(Kinds(MakePlan(local, remote, true)), (std::vector<Row>{{ActionKind::kUpload, "a"},
                                                                    {ActionKind::kSkip, "b"},
                                                                    {ActionKind::kUpload, "c"},
                                                                    {ActionKind::kDelete, "d"},
                                                                    {ActionKind::kUpload, "e"}}));
  EXPECT_EQ(Kinds(MakePlan(local, remote, false)), (std::vector<Row>{{ActionKind::kUpload, "a"},
                                                                     {ActionKind::kSkip, "b"},
                                                                     {ActionKind::kUpload, "c"},
                                                                     {ActionKind::kUpload, "e"}}));
}

TEST(SyncPlan, EmptySides) {
  EXPECT_TRUE(MakePlan({}, {}, true).empty());
  EXPECT_EQ(MakePlan({}, {Remote("x", 1, "e")}, true).size(), 1u);
  EXPECT_TRUE(MakePlan({}, {Remote("x", 1, "e")}, false).empty());
}

TEST(SyncPlan, KeysCompareAsBytesLikeS3Listings) {
  // 'é' (0xC3..) sorts after 'z' in S3's byte order; a signed compare would put it first.
  const std::vector<LocalEntry> local = {Local("channel=z", 1, "1"), Local("channel=é", 1, "2")};
  const std::vector<s3::ObjectSummary> remote = {Remote("channel=z", 1, "1"),
                                                 Remote("channel=é", 1, "2")};
  EXPECT_EQ(Kinds(MakePlan(local, remote, true)),
            (std::vector<Row>{{ActionKind::kSkip, "channel=z"}, {ActionKind::kSkip, "channel=é"}}));
}

TEST(NeedsUpload, MultipartETagsAreComparedAsMultipartETagsNeverAsMd5) {
  const LocalEntry big = Local("big", 20 << 20, "0123456789abcdef0123456789abcdef",
                               "feedfacefeedfacefeedfacefeedface-3");
  EXPECT_FALSE(NeedsUpload(big, Remote("big", 20 << 20, "feedfacefeedfacefeedfacefeedface-3")));
  EXPECT_TRUE(NeedsUpload(
      big, Remote("big", 20 << 20, "feedfacefeedfacefeedfacefeedface-5")));  // other part size
  EXPECT_TRUE(NeedsUpload(Local("k", 5, "abc"),
                          Remote("k", 5, "")));  // unknown ETag (e.g. SSE-KMS): upload
  EXPECT_TRUE(NeedsUpload(Local("k", 5, "abc"), Remote("k", 6, "abc")));
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
