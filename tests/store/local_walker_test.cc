#include "store/local_walker.h"

#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <iterator>
#include <thread>

#include "support/files.h"
#include "support/temp_dir.h"
#include "support/cache_walk.h"

namespace slack_intel::store {
namespace {

constexpr int64_t kTrustEverything = INT64_MAX;  // tests cannot wait out the racy window

// Trusting everything, a test must itself keep changes out of the timestamp tick of the walk
// before (what the real racy window does).
void NextTimestampTick() { std::this_thread::sleep_for(std::chrono::milliseconds(50)); }

class FolderIndexTest : public ::testing::Test {
 protected:
  void Write(const std::string& relative, const std::string& content = "x") {
    std::filesystem::create_directories((cache() / relative).parent_path());
    std::ofstream(cache() / relative) << content;
  }
  std::filesystem::path cache() const { return dir_.path() / "cache"; }
  std::filesystem::path index_folder() const { return dir_.path() / "state"; }

  // One walk with the index: keys with their stamps, and the walker's folder counts.
  struct Walk {
    std::vector<std::pair<std::string, FileStamp>> files;
    uint64_t read = 0, reused = 0;
  };
  Walk WalkWithIndex(int64_t trust_before_ns = kTrustEverything, bool update = true) {
    auto walker =
        LocalWalker::Open(cache(), "raw", {index_folder(), update, trust_before_ns});
    EXPECT_TRUE(walker.ok()) << walker.status().message();
    Walk walk;
    while (true) {
      auto file = (*walker)->Next();
      EXPECT_TRUE(file.ok()) << file.status().message();
      if (!file.ok() || !*file) break;
      walk.files.emplace_back((*file)->key, (*file)->stamp);
    }
    walk.read = (*walker)->folders_read();
    walk.reused = (*walker)->folders_reused();
    return walk;
  }
  // What a walk without any index sees.
  std::vector<std::pair<std::string, FileStamp>> Truth() {
    auto files = testing::ListCacheFiles(cache());
    EXPECT_TRUE(files.ok()) << files.status().message();
    std::vector<std::pair<std::string, FileStamp>> out;
    for (const LocalFile& f : *files) out.emplace_back(f.key, f.stamp);
    return out;
  }

  slack_intel::testing::TempDir dir_;
};

TEST_F(FolderIndexTest, UnchangedFoldersAreNotReadAgainAndEveryChangeIsSeen) {
  Write("raw/messages/dt=2025-10-20/channel=eng/data.parquet");
  Write("raw/messages/dt=2025-10-21/channel=eng/data.parquet");
  Write("raw/messages/dt=2025-10-21/channel=ops/data.parquet");
  Write("raw/jira/dt=2025-10-21/data.parquet");
  Write("users.parquet");
  const Walk first = WalkWithIndex();
  EXPECT_EQ(first.files, Truth());
  EXPECT_EQ(first.read, 8u);  // messages/, 2 days, 3 channels, jira/, 1 day
  EXPECT_EQ(first.reused, 0u);

  const uint64_t written_index = testing::InodeOf(index_folder() / "folders.raw");
  ASSERT_NE(written_index, 0u);
  const Walk second = WalkWithIndex();
  EXPECT_EQ(second.files, Truth());
  EXPECT_EQ(second.read, 0u);
  EXPECT_EQ(second.reused, 8u);
  // Nothing changed, so nothing was written: the same file, and no temp file beside it.
  EXPECT_EQ(testing::InodeOf(index_folder() / "folders.raw"), written_index);
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(index_folder()), {}), 1);

  NextTimestampTick();
  // A same-size rewrite in place changes no folder, only the file's stamp.
  Write("raw/messages/dt=2025-10-20/channel=eng/data.parquet", "y");
  // A new file in a known folder, a new partition, a removed partition file, a new day.
  Write("raw/messages/dt=2025-10-21/channel=eng/extra.parquet");
  Write("raw/messages/dt=2025-10-21/channel=dev/data.parquet");
  std::filesystem::remove(cache() / "raw/messages/dt=2025-10-21/channel=ops/data.parquet");
  Write("raw/messages/dt=2025-10-22/channel=eng/data.parquet");
  const Walk third = WalkWithIndex();
  EXPECT_EQ(third.files, Truth());
  ASSERT_EQ(third.files[1].first, "messages/dt=2025-10-20/channel=eng/data.parquet");
  EXPECT_NE(third.files[1].second, first.files[1].second);  // not a stale stamp
  // Read again: messages/ (new day), dt=2025-10-21 (new channel), its eng and ops (changed),
  // and the two new folders of each new partition.
  EXPECT_EQ(third.read, 7u);

  const Walk fourth = WalkWithIndex();
  EXPECT_EQ(fourth.files, Truth());
  EXPECT_EQ(fourth.read, 0u);

  // A whole partition removed: its records leave the index, the ones after it stay.
  NextTimestampTick();
  std::filesystem::remove_all(cache() / "raw/messages/dt=2025-10-21");
  const Walk fifth = WalkWithIndex();
  EXPECT_EQ(fifth.files, Truth());
  EXPECT_EQ(fifth.read, 1u);  // messages/
  const Walk sixth = WalkWithIndex();
  EXPECT_EQ(sixth.files, Truth());
  EXPECT_EQ(sixth.read, 0u);
  EXPECT_EQ(sixth.reused, 7u);  // messages/, 2 days, a channel in each, jira/, 1 day
}

TEST_F(FolderIndexTest, FoldersChangedTooRecentlyAreNeverTrusted) {
  Write("raw/messages/dt=2025-10-21/channel=eng/data.parquet");
  WalkWithIndex(/*trust_before_ns=*/1);
  const Walk again = WalkWithIndex(/*trust_before_ns=*/1);
  EXPECT_EQ(again.reused, 0u);
  EXPECT_EQ(again.files, Truth());
}

TEST_F(FolderIndexTest, ADamagedOrForeignIndexOnlyCostsReading) {
  Write("raw/messages/dt=2025-10-21/channel=eng/data.parquet");
  Write("raw/messages/dt=2025-10-21/channel=ops/data.parquet");
  WalkWithIndex();
  const auto index = index_folder() / "folders.raw";
  ASSERT_TRUE(std::filesystem::exists(index));
  { std::ofstream(index, std::ios::app) << "messages/\tnot-a-number\n"; }
  EXPECT_EQ(WalkWithIndex().files, Truth());
  std::ofstream(index) << "{\"format\":\"something else\"}\nmessages/\t1\t2\t3\tx\n";
  const Walk foreign = WalkWithIndex();
  EXPECT_EQ(foreign.files, Truth());
  EXPECT_EQ(foreign.reused, 0u);
}

TEST_F(FolderIndexTest, ADryRunWritesNoIndex) {
  Write("raw/messages/dt=2025-10-21/channel=eng/data.parquet");
  WalkWithIndex(kTrustEverything, /*update=*/false);
  EXPECT_FALSE(std::filesystem::exists(index_folder() / "folders.raw"));
  EXPECT_FALSE(std::filesystem::exists(index_folder()));
}

TEST_F(FolderIndexTest, AFolderReplacedByALinkIsNotFollowed) {
  Write("raw/messages/dt=2025-10-21/channel=eng/data.parquet");
  std::filesystem::create_directories(dir_.path() / "outside");
  std::ofstream(dir_.path() / "outside/secret.parquet") << "x";
  WalkWithIndex();
  NextTimestampTick();
  std::filesystem::remove_all(cache() / "raw/messages/dt=2025-10-21/channel=eng");
  std::filesystem::create_directory_symlink(dir_.path() / "outside",
                                            cache() / "raw/messages/dt=2025-10-21/channel=eng");
  const Walk walk = WalkWithIndex();
  EXPECT_EQ(walk.files, Truth());
  for (const auto& [key, stamp] : walk.files) EXPECT_EQ(key.find("secret"), std::string::npos);
}

}  // namespace
}  // namespace slack_intel::store
