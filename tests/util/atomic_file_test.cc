#include "util/atomic_file.h"

#include <gtest/gtest.h>

#include <fstream>
#include <optional>
#include <sstream>

#include "support/temp_dir.h"

namespace slack_intel {
namespace {

std::optional<std::string> Contents(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::stringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

size_t FilesUnder(const std::filesystem::path& folder) {
  size_t count = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(folder))
    count += entry.is_regular_file() ? 1 : 0;
  return count;
}

TEST(AtomicFileBatch, NothingChangesUntilCommitThenEveryFileAtOnce) {
  testing::TempDir dir;
  const auto old_file = dir.path() / "a/data.parquet";
  const auto new_file = dir.path() / "b/c/data.parquet";
  ASSERT_TRUE(WriteFileAtomically(old_file, "old").ok());
  AtomicFileBatch batch;
  ASSERT_TRUE(batch.Add(old_file, "new bytes").ok());
  ASSERT_TRUE(batch.Add(new_file, "fresh").ok());
  EXPECT_EQ(Contents(old_file), "old");  // readers still see the old version
  EXPECT_FALSE(Contents(new_file).has_value());
  ASSERT_TRUE(batch.Commit().ok());
  EXPECT_EQ(Contents(old_file), "new bytes");
  EXPECT_EQ(Contents(new_file), "fresh");
  EXPECT_EQ(FilesUnder(dir.path()), 2u);  // no temp file left behind
}

TEST(AtomicFileBatch, ABatchDroppedBeforeCommitLeavesNoTraceAndTheOldFiles) {
  testing::TempDir dir;
  const auto file = dir.path() / "data.parquet";
  ASSERT_TRUE(WriteFileAtomically(file, "old").ok());
  {
    AtomicFileBatch batch;
    ASSERT_TRUE(batch.Add(file, "new").ok());
    ASSERT_TRUE(batch.Add(dir.path() / "other.parquet", "x").ok());
    EXPECT_EQ(FilesUnder(dir.path()), 3u);  // the old file and two temp files
  }
  EXPECT_EQ(Contents(file), "old");
  EXPECT_EQ(FilesUnder(dir.path()), 1u);
}

TEST(AtomicFileBatch, AnUnwritableFolderIsAnErrorNamingThePath) {
  testing::TempDir dir;
  std::ofstream(dir.path() / "blocker") << "a file where a folder should be";
  AtomicFileBatch batch;
  const Status added = batch.Add(dir.path() / "blocker/data.parquet", "x");
  EXPECT_EQ(added.code(), StatusCode::kIOError);
  EXPECT_NE(added.message().find("blocker"), std::string::npos) << added.message();
}

}  // namespace
}  // namespace slack_intel
