// Broken bytes must give a clear error, never a crash or an unbounded allocation (this runs
// under ASan + UBSan). The fuzzer (fuzz/parquet_reader_fuzzer.cc) goes further at random.

#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

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

// Valid files other writers produce and ours never does (made by
// tests/testdata/parquet/make_handmade.py; DuckDB and arrow-rs read the same values).
using parquet::FileReader;
using parquet::Value;

std::vector<Value> OnlyColumn(const std::string& name) {
  auto reader = FileReader::Open(ReadFileBytes(kTestData / name));
  EXPECT_TRUE(reader.ok()) << name << ": " << reader.status().message();
  if (!reader.ok()) return {};
  std::vector<Value> values;
  for (size_t g = 0; g < (*reader)->num_row_groups(); ++g) {
    auto column = (*reader)->ReadColumn(g, 0);
    EXPECT_TRUE(column.ok()) << name << ": " << column.status().message();
    if (column.ok()) values.insert(values.end(), column->begin(), column->end());
  }
  return values;
}

TEST(OtherWriters, AV2PageOfConcatenatedGzipMembersReadsWhole) {
  const std::vector<Value> values = OnlyColumn("handmade-v2-gzip-two-members.parquet");
  ASSERT_EQ(values.size(), 4u);
  for (size_t i = 0; i < 4; ++i) EXPECT_EQ(values[i], Value(static_cast<int64_t>(i + 1))) << i;
}

TEST(OtherWriters, AV2PageWithAnEmptyValuesSectionIsAllNulls) {
  const std::vector<Value> values = OnlyColumn("handmade-v2-all-null-empty-values.parquet");
  ASSERT_EQ(values.size(), 3u);
  for (const Value& v : values) EXPECT_TRUE(v.is_null());
}

TEST(OtherWriters, AZeroRowChunkWithOffsetsOfZeroNeedsNoReading) {
  auto reader =
      FileReader::Open(ReadFileBytes(kTestData / "handmade-zero-row-chunk-offsets-zero.parquet"));
  ASSERT_TRUE(reader.ok()) << reader.status().message();
  ASSERT_EQ((*reader)->num_row_groups(), 1u);
  auto column = (*reader)->ReadColumn(0, 0);
  ASSERT_TRUE(column.ok()) << column.status().message();
  EXPECT_TRUE(column->empty());
}

TEST(OtherWriters, AnEncryptedFileWithAPlaintextFooterIsNamedNotCalledCorrupt) {
  auto reader =
      FileReader::Open(ReadFileBytes(kTestData / "handmade-encrypted-plaintext-footer.parquet"));
  ASSERT_FALSE(reader.ok());
  EXPECT_EQ(reader.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(reader.status().message().find("encrypted Parquet files are not supported"),
            std::string::npos)
      << reader.status().message();
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
