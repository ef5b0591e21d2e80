#include "sync/plan.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <iterator>
#include <limits>
#include <thread>

#include "store/local_dir_store.h"
#include "store/open_store.h"
#include "support/cache_walk.h"
#include "support/files.h"
#include "support/temp_dir.h"
#include "sync/key_filter.h"
#include "sync/manifest.h"
#include "sync/sync_runner.h"
#include "util/escaped_fields.h"

namespace slack_intel::sync {
namespace {

// A cache file and a bucket object as the stores list them.
store::ObjectInfo Local(const std::string& key, uint64_t size, int64_t mtime_s = 1761004800) {
  store::ObjectInfo f;
  f.key = key;
  f.size_bytes = size;
  f.mtime_ns = mtime_s * 1'000'000'000;
  f.stamp.size_bytes = size;
  f.stamp.mtime_ns = f.mtime_ns;
  return f;
}

// LastModified 2025-10-21T00:00:00Z = 1761004800.
store::ObjectInfo Remote(const std::string& key, uint64_t size, const std::string& etag = "e",
                         int64_t last_modified_s = 1761004800) {
  return {key, size, last_modified_s * 1'000'000'000, etag, {}};
}

// Judge with the cache file and the object in the roles a push or a pull gives them.
struct PlanOptions {
  Direction direction;
  CompareMode compare;
  bool delete_removed;
};
ActionKind Judge(const store::ObjectInfo& local, const store::ObjectInfo& remote,
                 const PlanOptions& options) {
  return options.direction == Direction::kPush ? sync::Judge(local, remote, options.compare)
                                               : sync::Judge(remote, local, options.compare);
}

TEST(SyncPlan, SameSizeGoesToTheContentOtherSizesAreCopied) {
  const PlanOptions push{Direction::kPush, CompareMode::kContent, false};
  EXPECT_EQ(Judge(Local("b", 10), Remote("b", 10), push), ActionKind::kCompare);
  EXPECT_EQ(Judge(Local("e", 7), Remote("e", 8), push), ActionKind::kTransfer);
  const PlanOptions pull{Direction::kPull, CompareMode::kContent, false};
  EXPECT_EQ(Judge(Local("b", 10), Remote("b", 10), pull), ActionKind::kCompare);
  EXPECT_EQ(Judge(Local("e", 8), Remote("e", 7), pull), ActionKind::kTransfer);
}

TEST(SyncPlan, CompareMtimeCopiesWhenTheSourceIsNewerLikeAwsS3Sync) {
  const int64_t remote_time = 1761004800;
  const store::ObjectInfo remote = Remote("k", 5);
  auto plan = [&](int64_t local_mtime, Direction direction) {
    return Judge(Local("k", 5, local_mtime), remote, {direction, CompareMode::kMtime, false});
  };
  EXPECT_EQ(plan(remote_time + 1, Direction::kPush), ActionKind::kTransfer);
  EXPECT_EQ(plan(remote_time, Direction::kPush), ActionKind::kSkip);
  EXPECT_EQ(plan(remote_time - 60, Direction::kPush), ActionKind::kSkip);  // content not looked at
  EXPECT_EQ(plan(remote_time - 60, Direction::kPull), ActionKind::kTransfer);
  EXPECT_EQ(plan(remote_time, Direction::kPull), ActionKind::kSkip);
  // Size alone: a same-size file is never copied; another size always is.
  const PlanOptions size_only{Direction::kPush, CompareMode::kSize, false};
  EXPECT_EQ(Judge(Local("k", 5, remote_time + 100), remote, size_only), ActionKind::kSkip);
  EXPECT_EQ(Judge(Local("k", 6), remote, size_only), ActionKind::kTransfer);
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
  const store::ObjectInfo kms = Remote("k", 5, "9999aaaa9999aaaa9999aaaa9999aaaa");  // SSE-KMS
  EXPECT_TRUE(ContentMatches(file, kms, file.md5_hex, kms.etag));
  EXPECT_FALSE(ContentMatches(file, kms, "ffff0000ffff0000ffff0000ffff0000", kms.etag));
  EXPECT_FALSE(ContentMatches(file, kms, file.md5_hex, "another-etag"));
  EXPECT_FALSE(ContentMatches(file, kms, "", ""));
}

TEST(NormalizePrefix, AddsOneTrailingSlashAndDropsLeadingOnes) {
  EXPECT_EQ(store::NormalizePrefix(""), "");
  EXPECT_EQ(store::NormalizePrefix("prod"), "prod/");
  EXPECT_EQ(store::NormalizePrefix("prod/"), "prod/");
  EXPECT_EQ(store::NormalizePrefix("/daily/2025-10-21/"), "daily/2025-10-21/");
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
  auto files = testing::ListCacheFiles(dir.path());
  ASSERT_TRUE(files.ok()) << files.status().message();
  std::vector<std::string> keys;
  for (const auto& f : *files) keys.push_back(f.key);
  EXPECT_EQ(keys, (std::vector<std::string>{"jira/dt=2025-10-21/data.parquet",
                                            "messages/dt=2025-10-21/channel=dev ops/data.parquet",
                                            "users.parquet"}));
  EXPECT_EQ(testing::ListCacheFiles(dir.path() / "missing").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(testing::CacheRelativePath(files->front()), "raw/jira/dt=2025-10-21/data.parquet");
  EXPECT_EQ(files->front().stamp.size_bytes, 1u);
}

TEST(LocalFiles, StampsChangeWithEveryWriteEvenWhenTheMtimeIsSetBack) {
  testing::TempDir dir;
  const auto path = dir.path() / "f";
  std::ofstream(path) << "abc";
  auto before = store::StatFile(path);
  ASSERT_TRUE(before.ok());
  const auto mtime = std::filesystem::last_write_time(path);
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  std::ofstream(path) << "xyz";  // same size
  std::filesystem::last_write_time(path, mtime);
  auto after = store::StatFile(path);
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(after->size_bytes, before->size_bytes);
  EXPECT_EQ(after->mtime_ns, before->mtime_ns);
  EXPECT_NE(after->ctime_ns, before->ctime_ns);
  EXPECT_FALSE(*after == *before);
}

TEST(CacheRelativePathForKey, MapsKeysBackAndRefusesAnyPathOutOfTheCache) {
  const store::LocalDirStore cache({"cache", "raw", {}});
  EXPECT_EQ(cache.PathOf("messages/dt=2025-10-21/channel=dev ops/data.parquet"),
            "cache/raw/messages/dt=2025-10-21/channel=dev ops/data.parquet");
  EXPECT_EQ(cache.PathOf("users.parquet"), "cache/users.parquet");
  for (const std::string bad :
       {"../etc/passwd", "a/../../b", "/abs/file", "a\\b", "a//b", "./a", "a/.", "",
        ".slack-intel/sync/x.manifest", "a/.data.parquet.tmp", "a/data.tmp", "a/"}) {
    EXPECT_EQ(cache.CheckKey(bad).code(), StatusCode::kInvalidArgument) << bad;
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

// State file fields are file names: any byte must survive, and a broken escape must read as
// damage (the line is dropped), never as a different name.
TEST(EscapedFields, RoundTripAnyByteAndRefuseBrokenEscapes) {
  const std::string odd = "100%\tdone\r\n%41/é";
  std::string line;
  AppendEscaped(line, odd);
  EXPECT_EQ(line.find_first_of("\t\r\n"), std::string::npos);
  EXPECT_EQ(Unescape(line), odd);
  EXPECT_EQ(Unescape("plain/name.parquet"), "plain/name.parquet");
  EXPECT_EQ(Unescape("%25%2541"), "%%41");
  for (const char* broken : {"%", "abc%4", "%zz", "a%4g", "%+1"})
    EXPECT_FALSE(Unescape(broken).has_value()) << broken;

  FieldReader fields("a\t\tc");
  std::string_view field;
  std::vector<std::string_view> seen;
  while (fields.Next(field)) seen.push_back(field);
  EXPECT_EQ(seen, (std::vector<std::string_view>{"a", "", "c"}));
  EXPECT_TRUE(fields.done());
}

// State file numbers: nanosecond times (19 digits, or negative before 1970), sizes and inodes
// up to 2^64 - 1. Anything else, or a number out of range, is damage.
TEST(EscapedFields, NumbersReadBackExactlyAndRefuseAnythingElse) {
  int64_t signed_value = 0;
  uint64_t unsigned_value = 0;
  std::string line;
  for (const int64_t value :
       {int64_t{0}, int64_t{1'764'000'000'123'456'789}, int64_t{-5},
        std::numeric_limits<int64_t>::max(), std::numeric_limits<int64_t>::min()}) {
    line.clear();
    AppendInt(line, value);
    ASSERT_TRUE(ParseInt(line, signed_value)) << line;
    EXPECT_EQ(signed_value, value);
  }
  line.clear();
  AppendInt(line, std::numeric_limits<uint64_t>::max());
  ASSERT_TRUE(ParseInt(line, unsigned_value)) << line;
  EXPECT_EQ(unsigned_value, std::numeric_limits<uint64_t>::max());
  EXPECT_FALSE(ParseInt("9223372036854775808", signed_value));  // one past the largest
  EXPECT_FALSE(ParseInt("18446744073709551616", unsigned_value));
  EXPECT_FALSE(ParseInt("-1", unsigned_value));
  for (const char* bad : {"", "-", "12a", " 1", "1 ", "1.5", "+1", "0x10", "\xd9"})
    EXPECT_FALSE(ParseInt(bad, signed_value)) << bad;
  EXPECT_EQ(signed_value, std::numeric_limits<int64_t>::min());  // untouched by a refusal
}

ManifestEntry Entry(uint64_t size, std::string md5, std::string remote_etag) {
  return {{size, 1, 2, 3}, std::move(md5), "", 0, std::move(remote_etag)};
}

TEST(Manifest, StreamsInKeyOrderAndTreatsDamageAsTheEnd) {
  testing::TempDir dir;
  const auto path = SyncStatePath(dir.path(), "http://127.0.0.1:1", "bucket", "prod/", "manifest");
  EXPECT_EQ(path.parent_path(), dir.path() / ".slack-intel/sync");
  EXPECT_NE(path, SyncStatePath(dir.path(), "http://127.0.0.1:1", "bucket", "dev/", "manifest"));
  const std::string odd = "messages/dt=2025-10-21/channel=é %41\ttab/data.parquet";
  {
    ManifestWriter writer(path);
    ASSERT_TRUE(writer.Add(false, "a", Entry(1, "md5-a", "etag-a")).ok());
    ASSERT_TRUE(
        writer
            .Add(false, odd,
                 {{10, 1, 2, 3}, "0123456789abcdef0123456789abcdef", "ab-2", 8 << 20, "etag\n1"})
            .ok());
    ASSERT_TRUE(writer.Add(false, "users.parquet", Entry(5, "md5-u", "etag-u")).ok());
    ASSERT_TRUE(writer.Commit().ok());
  }
  {
    ManifestReader read(path);
    auto entry = read.Find(odd);  // "a" is passed over: dropped
    ASSERT_TRUE(entry.has_value());
    EXPECT_TRUE(entry->stamp == (store::FileStamp{10, 1, 2, 3}));
    EXPECT_EQ(entry->multipart_etag, "ab-2");
    EXPECT_EQ(entry->part_size, 8u << 20);
    EXPECT_EQ(entry->remote_etag, "etag\n1");
    EXPECT_EQ(read.Dropped(false), 1u);
    EXPECT_FALSE(read.Find("messages/z").has_value());
    EXPECT_EQ(read.Find("users.parquet")->md5_hex, "md5-u");
    EXPECT_EQ(read.Dropped(true), 1u);
  }
  EXPECT_EQ(ManifestReader::SampleKeys(path, 2), (std::vector<std::string>{"users.parquet"}));

  {  // a writer dropped before Commit() leaves the old file alone
    ManifestWriter writer(path);
    ASSERT_TRUE(writer.Add(false, "b", Entry(1, "x", "y")).ok());
  }
  EXPECT_TRUE(ManifestReader(path).Find("a").has_value());

  std::ofstream(path, std::ios::app) << "zz\t1\t2";  // a damaged last line
  ManifestReader damaged(path);
  EXPECT_TRUE(damaged.Find("users.parquet").has_value());
  EXPECT_FALSE(damaged.Find("zz").has_value());
  std::ofstream(path, std::ios::trunc) << "[\"not a manifest\"]\n";
  EXPECT_FALSE(ManifestReader(path).Find("a").has_value());
  EXPECT_FALSE(ManifestReader(dir.path() / "nope").Find("a").has_value());
}

// A sync that changes nothing must not rewrite its state, and one that changes a little
// must write exactly what a full rewrite would: the unchanged lines before the change are
// copied from the current file, not made again.
TEST(Manifest, IsWrittenOnlyFromItsFirstChangeOn) {
  testing::TempDir dir;
  const auto path = dir.path() / "state" / "manifest";
  const auto entry = [](int i) { return Entry(i, fmt::format("md5-{}", i), "etag"); };
  const auto key = [](int i) { return fmt::format("k{}", i); };
  auto write_all = [&](const std::filesystem::path& to, int count, int changed) {
    ManifestWriter writer(to);
    for (int i = 0; i < count; ++i) {
      ManifestEntry e = entry(i);
      if (i == changed) e.md5_hex = "new";
      ASSERT_TRUE(writer.Add(false, key(i), e).ok());
    }
    ASSERT_TRUE(writer.Commit().ok());
  };
  write_all(path, 5, -1);
  const std::string original = testing::ReadFileBytes(path);

  {  // nothing changed: no temp file, the file untouched (same inode)
    const uint64_t inode = testing::InodeOf(path);
    ManifestWriter writer(path);
    for (int i = 0; i < 5; ++i) ASSERT_TRUE(writer.Add(true, key(i), entry(i)).ok());
    EXPECT_FALSE(writer.changed());
    EXPECT_EQ(std::distance(std::filesystem::directory_iterator(path.parent_path()), {}), 1);
    ASSERT_TRUE(writer.Commit().ok());
    EXPECT_EQ(testing::InodeOf(path), inode);
    EXPECT_EQ(testing::ReadFileBytes(path), original);
  }
  {  // the fourth entry changed: the first three are copied, the rest written
    ManifestWriter writer(path);
    for (int i = 0; i < 5; ++i) {
      ManifestEntry e = entry(i);
      if (i == 3) e.md5_hex = "new";
      ASSERT_TRUE(writer.Add(i != 3, key(i), e).ok());
    }
    ASSERT_TRUE(writer.Commit().ok());
  }
  write_all(dir.path() / "expected", 5, 3);
  EXPECT_EQ(testing::ReadFileBytes(path), testing::ReadFileBytes(dir.path() / "expected"));
  ManifestReader reader(path);
  EXPECT_EQ(reader.Find("k2")->md5_hex, "md5-2");
  EXPECT_EQ(reader.Find("k3")->md5_hex, "new");

  {  // the last two entries removed: the first three are copied, nothing else
    ManifestWriter writer(path);
    for (int i = 0; i < 3; ++i) ASSERT_TRUE(writer.Add(true, key(i), entry(i)).ok());
    ASSERT_TRUE(writer.Diverge().ok());
    ASSERT_TRUE(writer.Commit().ok());
  }
  write_all(dir.path() / "expected", 3, -1);
  EXPECT_EQ(testing::ReadFileBytes(path), testing::ReadFileBytes(dir.path() / "expected"));
}

TEST(LocalFiles, KeysComeInS3ByteOrderAcrossFoldersAndTheRawMapping) {
  testing::TempDir dir;
  auto write = [&](const std::string& relative) {
    std::filesystem::create_directories((dir.path() / relative).parent_path());
    std::ofstream(dir.path() / relative) << "x";
  };
  // '-' (0x2D) < '/' (0x2F) < '0' (0x30) < 'z' < 'é' (0xC3..): S3 lists a-b, a/x, a0.
  for (const std::string relative :
       {"raw/a/x", "raw/a-b", "raw/a0", "raw/channel=é/f", "raw/channel=z/f", "b.parquet",
        "raw/messages/dt=2025-10-21/channel=a b/data.parquet"}) {
    write(relative);
  }
  std::filesystem::create_symlink("/etc", dir.path() / "raw/link");
  auto files = testing::ListCacheFiles(dir.path());
  ASSERT_TRUE(files.ok()) << files.status().message();
  std::vector<std::string> keys;
  for (const auto& f : *files) keys.push_back(f.key);
  EXPECT_EQ(keys,
            (std::vector<std::string>{"a-b", "a/x", "a0", "b.parquet", "channel=z/f", "channel=é/f",
                                      "messages/dt=2025-10-21/channel=a b/data.parquet"}));
  EXPECT_TRUE(std::is_sorted(keys.begin(), keys.end()));
}

TEST(LocalFiles, TwoFilesForOneKeyAreAnError) {
  testing::TempDir dir;
  std::filesystem::create_directories(dir.path() / "raw");
  std::ofstream(dir.path() / "users.parquet") << "x";
  std::ofstream(dir.path() / "raw/users.parquet") << "y";
  EXPECT_EQ(testing::ListCacheFiles(dir.path()).status().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace slack_intel::sync
