// Broken bytes must give a clear error, never a crash or an unbounded allocation (this runs
// under ASan + UBSan). The fuzzer (fuzz/parquet_reader_fuzzer.cc) goes further at random.

#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "parquet/file_reader.h"
#include "support/files.h"

namespace slack_intel::testing {
namespace {

const std::filesystem::path kTestData =
    std::filesystem::path(SLACK_INTEL_SOURCE_DIR) / "tests/testdata/parquet";

// Opens and reads everything; the status of whichever step failed first.
Status OpenAndRead(std::string bytes) {
  auto reader = parquet::FileReader::Open(std::move(bytes));
  if (!reader.ok()) return reader.status();
  return (*reader)->ReadRows().status();
}

TEST(CorruptFiles, EveryBrokenTestFileIsCorruption) {
  int files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(kTestData)) {
    const std::string name = entry.path().filename().string();
    if (!name.starts_with("broken-")) continue;
    ++files;
    Status status = OpenAndRead(ReadFileBytes(entry.path()));
    EXPECT_EQ(status.code(), StatusCode::kCorruption) << name << ": " << status.message();
    EXPECT_FALSE(status.message().empty()) << name;
  }
  EXPECT_GE(files, 10);
}

TEST(CorruptFiles, TheValidTestFilesRead) {
  for (const char* name :
       {"slack-intel-every-type.parquet", "duckdb-one-row.parquet", "duckdb-dictionary.parquet"}) {
    Status status = OpenAndRead(ReadFileBytes(kTestData / name));
    EXPECT_TRUE(status.ok()) << name << ": " << status.message();
  }
}

TEST(CorruptFiles, EveryTruncationIsRefused) {
  const std::string good = ReadFileBytes(kTestData / "slack-intel-every-type.parquet");
  for (size_t length = 0; length < good.size(); ++length) {
    Status status = OpenAndRead(good.substr(0, length));
    ASSERT_EQ(status.code(), StatusCode::kCorruption) << "truncated to " << length << " bytes";
  }
}

// A flipped byte may land in a value (still a readable file) or in structure (an error), but
// it never crashes and never turns into anything but corruption or an unsupported feature.
void FlipEveryByte(const std::string& good) {
  for (size_t position = 0; position < good.size(); ++position) {
    std::string bad = good;
    bad[position] = static_cast<char>(bad[position] ^ 0xff);
    Status status = OpenAndRead(bad);
    if (status.ok()) continue;
    ASSERT_TRUE(status.code() == StatusCode::kCorruption ||
                status.code() == StatusCode::kInvalidArgument)
        << "byte " << position << ": " << StatusCodeName(status.code()) << ": " << status.message();
  }
}

TEST(CorruptFiles, FlippedBytesInOurFileAreHandled) {
  FlipEveryByte(ReadFileBytes(kTestData / "slack-intel-every-type.parquet"));
}

TEST(CorruptFiles, FlippedBytesInADuckDbFileAreHandled) {
  FlipEveryByte(ReadFileBytes(kTestData / "duckdb-one-row.parquet"));
}

TEST(CorruptFiles, AFileOfAnotherFormatSaysSo) {
  Status status = OpenAndRead("PK\x03\x04 this is a zip file, not parquet");
  EXPECT_EQ(status.code(), StatusCode::kCorruption);
  EXPECT_NE(status.message().find("not a Parquet file"), std::string::npos) << status.message();
}

TEST(CorruptFiles, MissingFileIsNotFound) {
  auto reader = parquet::FileReader::OpenFile(kTestData / "no-such-file.parquet");
  EXPECT_EQ(reader.status().code(), StatusCode::kNotFound);
}

}  // namespace
}  // namespace slack_intel::testing
