// Writer -> reader round trips over every configuration, with tiny pages and row groups so
// every boundary is crossed.

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <set>
#include <string>
#include <tuple>
#include <utility>

#include "parquet/compression.h"
#include "parquet/file_reader.h"
#include "parquet/file_writer.h"
#include "parquet/parquet_test_rows.h"
#include "util/output_stream.h"

namespace slack_intel::testing {
namespace {

using parquet::Codec;
using parquet::ColumnType;
using parquet::Encoding;
using parquet::Value;
using parquet::WriterOptions;

struct Config {
  Codec codec;
  bool dictionary;
  uint64_t page_size_bytes;
  uint64_t row_group_size_bytes;
};

std::string ConfigName(const ::testing::TestParamInfo<Config>& info) {
  const Config& c = info.param;
  return parquet::CodecName(c.codec) + (c.dictionary ? "_Dictionary" : "_Plain") + "_Page" +
         std::to_string(c.page_size_bytes) + "_Group" + std::to_string(c.row_group_size_bytes);
}

class RoundTrip : public ::testing::TestWithParam<Config> {
 protected:
  WriterOptions Options() const {
    WriterOptions options;
    options.codec = GetParam().codec;
    options.enable_dictionary = GetParam().dictionary;
    options.page_size_bytes = GetParam().page_size_bytes;
    options.row_group_size_bytes = GetParam().row_group_size_bytes;
    return options;
  }
};

TEST_P(RoundTrip, ReadsBackExactlyWhatWasWritten) {
  const auto rows = EveryTypeRows(1500);
  const std::string bytes = WriteFile(EveryTypeSchema(), rows, Options());
  EXPECT_EQ(ReadBack(bytes), rows);
}

TEST_P(RoundTrip, ZeroRowsMakeAValidEmptyFile) {
  const std::string bytes = WriteFile(EveryTypeSchema(), {}, Options());
  auto reader = parquet::FileReader::Open(bytes);
  ASSERT_TRUE(reader.ok()) << reader.status().message();
  EXPECT_EQ((*reader)->num_rows(), 0);
  EXPECT_EQ((*reader)->columns().size(), EveryTypeSchema().size());
  EXPECT_TRUE(ReadBack(bytes).empty());
}

TEST_P(RoundTrip, OneRow) {
  const auto rows = EveryTypeRows(1, 7);
  EXPECT_EQ(ReadBack(WriteFile(EveryTypeSchema(), rows, Options())), rows);
}

TEST_P(RoundTrip, SameRowsGiveTheSameBytes) {
  const auto rows = EveryTypeRows(700, 3);
  EXPECT_EQ(WriteFile(EveryTypeSchema(), rows, Options()),
            WriteFile(EveryTypeSchema(), rows, Options()));
}

INSTANTIATE_TEST_SUITE_P(EveryCodecAndBoundary, RoundTrip,
                         ::testing::Values(Config{Codec::kUncompressed, true, 1 << 20, 128 << 20},
                                           Config{Codec::kUncompressed, false, 64, 2048},
                                           Config{Codec::kSnappy, true, 64, 2048},
                                           Config{Codec::kSnappy, false, 1 << 20, 128 << 20},
                                           Config{Codec::kZstd, true, 100, 4096},
                                           Config{Codec::kZstd, false, 64, 1 << 20},
                                           Config{Codec::kGzip, true, 1 << 20, 2048},
                                           Config{Codec::kGzip, false, 64, 4096}),
                         ConfigName);

TEST(FileWriter, CompressionLevelsReadBackAndOutOfRangeOnesAreRefused) {
  const auto rows = EveryTypeRows(2000, 5);
  for (const auto& [codec, fast, small] :
       {std::tuple{Codec::kZstd, 1, 19}, std::tuple{Codec::kGzip, 1, 9}}) {
    WriterOptions options;
    options.codec = codec;
    options.compression_level = fast;
    const std::string quick = WriteFile(EveryTypeSchema(), rows, options);
    options.compression_level = small;
    const std::string tight = WriteFile(EveryTypeSchema(), rows, options);
    EXPECT_EQ(ReadBack(quick), rows);
    EXPECT_EQ(ReadBack(tight), rows);
    EXPECT_NE(quick, tight) << parquet::CodecName(codec) << ": the level reached the codec";
  }
  for (const auto& [codec, level] : {std::pair{Codec::kZstd, 23}, std::pair{Codec::kGzip, 10},
                                     std::pair{Codec::kSnappy, 3}, std::pair{Codec::kZstd, -1}}) {
    StringOutputStream sink;
    WriterOptions options;
    options.codec = codec;
    options.compression_level = level;
    parquet::FileWriter writer(sink, EveryTypeSchema(), options);
    const Status status = writer.Finish();
    EXPECT_EQ(status.code(), StatusCode::kInvalidArgument) << parquet::CodecName(codec) << level;
  }
}

TEST(FileWriter, CutsRowGroupsByRowCount) {
  WriterOptions options;
  options.max_rows_per_row_group = 7;
  const auto rows = EveryTypeRows(50);
  const std::string bytes = WriteFile(EveryTypeSchema(), rows, options);
  auto reader = parquet::FileReader::Open(bytes);
  ASSERT_TRUE(reader.ok());
  EXPECT_EQ((*reader)->num_row_groups(), 8u);  // 7 * 7 + 1
  EXPECT_EQ((*reader)->metadata().row_groups.back().num_rows, 1);
  EXPECT_EQ(ReadBack(bytes), rows);
}

TEST(FileWriter, FallsBackToPlainWhenTheDictionaryOutgrowsItsLimit) {
  parquet::Schema schema = {{"text", ColumnType::kString, true}};
  std::vector<Row> rows;
  for (int i = 0; i < 400; ++i)
    rows.push_back({Value("distinct value number " + std::to_string(i))});
  WriterOptions options;
  options.dictionary_page_size_limit_bytes = 500;
  options.page_size_bytes = 200;
  const std::string bytes = WriteFile(schema, rows, options);
  auto reader = parquet::FileReader::Open(bytes);
  ASSERT_TRUE(reader.ok());
  const auto& encodings = (*reader)->metadata().row_groups[0].columns[0].meta_data->encodings;
  std::set<Encoding> used(encodings.begin(), encodings.end());
  EXPECT_TRUE(used.contains(Encoding::kRleDictionary));
  EXPECT_TRUE(used.contains(Encoding::kPlain));
  EXPECT_EQ(ReadBack(bytes), rows);
}

std::set<Encoding> EncodingsOf(const std::string& bytes, size_t column) {
  auto reader = parquet::FileReader::Open(bytes);
  const auto& encodings = (*reader)->metadata().row_groups[0].columns[column].meta_data->encodings;
  return std::set<Encoding>(encodings.begin(), encodings.end());
}

TEST(FileWriter, DistinctValuesGoPlainRepeatedOnesThroughADictionary) {
  parquet::Schema schema = {{"message_id", ColumnType::kString, false},
                            {"user_name", ColumnType::kString, true}};
  for (size_t rows : {50u, 3000u, 20000u}) {  // judged at the end, and at the 4096-value probe
    std::vector<Row> data;
    for (size_t i = 0; i < rows; ++i) {
      data.push_back({Value("1714564800." + std::to_string(100000 + i)),
                      Value("user-" + std::to_string(i % 7))});
    }
    const std::string bytes = WriteFile(schema, data);
    EXPECT_FALSE(EncodingsOf(bytes, 0).contains(Encoding::kRleDictionary)) << rows << " rows";
    EXPECT_TRUE(EncodingsOf(bytes, 1).contains(Encoding::kRleDictionary)) << rows << " rows";
    EXPECT_EQ(ReadBack(bytes), data);
  }
}

TEST(FileWriter, ListsKeepNullEmptyAndFullApart) {
  parquet::Schema schema = {{"tags", ColumnType::kStringList, true},
                            {"required_tags", ColumnType::kStringList, false}};
  std::vector<Row> rows = {
      {Value(), Value(Value::List{})},
      {Value(Value::List{}), Value(Value::List{Value("a")})},
      {Value(Value::List{Value(""), Value("PROJ-1"), Value("ß")}), Value(Value::List{})},
  };
  EXPECT_EQ(ReadBack(WriteFile(schema, rows)), rows);
}

TEST(FileWriter, WritesTheStandardThreeLevelListSchema) {
  const std::string bytes = WriteFile({{"jira_tickets", ColumnType::kStringList, true}}, {});
  auto reader = parquet::FileReader::Open(bytes);
  ASSERT_TRUE(reader.ok());
  const auto& schema = (*reader)->metadata().schema;
  ASSERT_EQ(schema.size(), 4u);
  EXPECT_EQ(schema[1].name, "jira_tickets");
  EXPECT_EQ(schema[1].converted_type, parquet::ConvertedType::kList);
  EXPECT_EQ(schema[1].logical_type.kind, parquet::LogicalType::Kind::kList);
  EXPECT_EQ(schema[2].name, "list");
  EXPECT_EQ(schema[2].repetition, parquet::Repetition::kRepeated);
  EXPECT_EQ(schema[3].name, "element");
  EXPECT_EQ(schema[3].repetition, parquet::Repetition::kOptional);
  EXPECT_EQ(schema[3].logical_type.kind, parquet::LogicalType::Kind::kString);
  EXPECT_EQ((*reader)->columns()[0].TypeName(), "LIST<STRING>");
}

TEST(FileWriter, NamesItselfInCreatedBy) {
  auto reader = parquet::FileReader::Open(WriteFile(EveryTypeSchema(), EveryTypeRows(2)));
  ASSERT_TRUE(reader.ok());
  EXPECT_EQ((*reader)->metadata().created_by.value_or("").rfind("slack-intel version ", 0), 0u);
  EXPECT_TRUE((*reader)->metadata().has_type_defined_column_orders);
}

// ---------------------------------------------------------------- statistics

const parquet::Statistics& StatsOf(const parquet::FileReader& reader, size_t column) {
  return *reader.metadata().row_groups[0].columns[column].meta_data->statistics;
}

TEST(Statistics, StringsUseUnsignedByteOrderAndCountNulls) {
  parquet::Schema schema = {{"name", ColumnType::kString, true}};
  // 'é' (0xC3 0xA9) sorts after 'z' (0x7A) in unsigned byte order, before it in signed order.
  std::vector<Row> rows = {{Value("z")}, {Value()}, {Value("é")}, {Value("a")}, {Value()}};
  auto reader = parquet::FileReader::Open(WriteFile(schema, rows));
  ASSERT_TRUE(reader.ok());
  const auto& stats = StatsOf(**reader, 0);
  EXPECT_EQ(stats.null_count, 2);
  EXPECT_EQ(stats.min_value, "a");
  EXPECT_EQ(stats.max_value, "é");
  EXPECT_FALSE(stats.legacy_min.has_value()) << "legacy min/max use signed order: never written";
}

TEST(Statistics, IntegersAndTimestampsAreLittleEndianBounds) {
  parquet::Schema schema = {{"n", ColumnType::kInt64, true},
                            {"ts", ColumnType::kTimestampMicros, false}};
  std::vector<Row> rows = {{Value(int64_t{5}), Value(int64_t{300})},
                           {Value(int64_t{-7}), Value(int64_t{100})}};
  auto reader = parquet::FileReader::Open(WriteFile(schema, rows));
  ASSERT_TRUE(reader.ok());
  auto as_int64 = [](const std::string& bytes) {
    int64_t v;
    std::memcpy(&v, bytes.data(), 8);
    return v;
  };
  EXPECT_EQ(as_int64(*StatsOf(**reader, 0).min_value), -7);
  EXPECT_EQ(as_int64(*StatsOf(**reader, 0).max_value), 5);
  EXPECT_EQ(as_int64(*StatsOf(**reader, 1).min_value), 100);
  EXPECT_EQ(StatsOf(**reader, 1).null_count, 0);
}

TEST(Statistics, DoublesSkipNanAndWriteSignedZeros) {
  parquet::Schema schema = {{"x", ColumnType::kDouble, true}};
  std::vector<Row> rows = {{Value(std::nan(""))}, {Value(0.0)}, {Value(-0.0)}};
  const std::string bytes = WriteFile(schema, rows);
  auto reader = parquet::FileReader::Open(bytes);
  ASSERT_TRUE(reader.ok());
  auto as_double = [](const std::string& b) {
    double v;
    std::memcpy(&v, b.data(), 8);
    return v;
  };
  const auto& stats = StatsOf(**reader, 0);
  EXPECT_TRUE(std::signbit(as_double(*stats.min_value)));
  EXPECT_FALSE(std::signbit(as_double(*stats.max_value)));
  auto back = ReadBack(bytes);
  EXPECT_TRUE(std::isnan(std::get<double>(back[0][0].data)));
}

TEST(Statistics, LongStringsLeaveBoundsOut) {
  parquet::Schema schema = {{"text", ColumnType::kString, true}};
  auto reader = parquet::FileReader::Open(
      WriteFile(schema, {{Value(std::string(5000, 'x'))}, {Value("short")}}));
  ASSERT_TRUE(reader.ok());
  EXPECT_FALSE(StatsOf(**reader, 0).max_value.has_value());
  EXPECT_EQ(StatsOf(**reader, 0).null_count, 0);
}

// Long values are not kept whole to order the rest (a 50 MB message would be copied twice), so
// the bounds written must still be exactly the shortest and longest of the column, or none.
TEST(Statistics, BoundsStayExactWhenLongValuesComeAndGo) {
  parquet::Schema schema = {{"text", ColumnType::kString, true}};
  const std::string p(256, 'm');  // the longest bound written
  const std::vector<std::vector<std::string>> cases = {
      {p + "x", "a", "c"},         // a long first value, replaced at both ends
      {"c", p + "zz", "d", "zz"},  // a long max, replaced by a short one
      {"c", p + "zz", "d"},        // a long max that stays: no bounds
      {p + "b", p + "a", p},       // p is a prefix of both: it is the min
      {p + "b", p + "a", "n"},     // a long min that stays
      {"n", p, p + "a", "o"},      // p itself is short enough
      {"é" + p, "z"},              // 'é' (0xC3 ...) orders after 'z': unsigned
  };
  for (const auto& values : cases) {
    std::vector<Row> rows;
    for (const std::string& v : values) rows.push_back({Value(v)});
    auto reader = parquet::FileReader::Open(WriteFile(schema, rows));
    ASSERT_TRUE(reader.ok());
    const auto& stats = StatsOf(**reader, 0);
    auto unsigned_less = [](const std::string& a, const std::string& b) {
      return std::lexicographical_compare(
          a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
            return static_cast<unsigned char>(x) < static_cast<unsigned char>(y);
          });
    };
    const std::string min = *std::min_element(values.begin(), values.end(), unsigned_less);
    const std::string max = *std::max_element(values.begin(), values.end(), unsigned_less);
    if (min.size() <= 256 && max.size() <= 256) {
      EXPECT_EQ(stats.min_value, min) << values[0].substr(0, 3) << " " << values.size();
      EXPECT_EQ(stats.max_value, max) << values[0].substr(0, 3) << " " << values.size();
    } else {
      EXPECT_FALSE(stats.min_value.has_value() || stats.max_value.has_value()) << values.size();
    }
  }
}

// ---------------------------------------------------------------- refusals

Status WriteOne(const parquet::Schema& schema,
                const std::function<void(parquet::FileWriter&)>& fill) {
  StringOutputStream sink;
  parquet::FileWriter writer(sink, schema);
  fill(writer);
  return writer.Finish();
}

TEST(FileWriter, RefusesNullInARequiredColumn) {
  Status status = WriteOne({{"id", ColumnType::kString, false}}, [](auto& w) {
    w.AppendNull();
    w.EndRow();
  });
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(status.message().find("'id' is REQUIRED"), std::string::npos) << status.message();
}

TEST(FileWriter, RefusesInvalidUtf8NamingRowAndColumn) {
  Status status = WriteOne({{"text", ColumnType::kString, true}}, [](auto& w) {
    w.AppendString("fine");
    w.EndRow();
    w.AppendString("bad \xff byte");
    w.EndRow();
  });
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(status.message().find("row 1: column 'text': invalid UTF-8 at byte 4"),
            std::string::npos)
      << status.message();
}

TEST(FileWriter, RefusesInvalidUtf8InsideLists) {
  Status status = WriteOne({{"tags", ColumnType::kStringList, true}}, [](auto& w) {
    w.AppendStringList(std::vector<std::string>{"ok", "\xc3\x28"});
    w.EndRow();
  });
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
}

TEST(FileWriter, RefusesAValueOfTheWrongType) {
  Status status = WriteOne({{"n", ColumnType::kInt64, true}}, [](auto& w) {
    w.AppendString("42");
    w.EndRow();
  });
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(status.message().find("'n' does not take a string"), std::string::npos);
}

TEST(FileWriter, RefusesShortAndLongRows) {
  parquet::Schema schema = {{"a", ColumnType::kInt32, true}, {"b", ColumnType::kInt32, true}};
  EXPECT_EQ(WriteOne(schema,
                     [](auto& w) {
                       w.AppendInt32(1);
                       w.EndRow();
                     })
                .code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(WriteOne(schema,
                     [](auto& w) {
                       w.AppendInt32(1);
                       w.AppendInt32(2);
                       w.AppendInt32(3);
                     })
                .code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(WriteOne(schema, [](auto& w) { w.AppendInt32(1); }).code(),
            StatusCode::kInvalidArgument);  // Finish() mid-row
}

TEST(FileWriter, RefusesBadSchemas) {
  EXPECT_EQ(WriteOne({}, [](auto&) {}).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(
      WriteOne({{"a", ColumnType::kInt32, true}, {"a", ColumnType::kInt64, true}}, [](auto&) {})
          .code(),
      StatusCode::kInvalidArgument);
}

TEST(FileWriter, KeepsTheFirstErrorAndIgnoresLaterCalls) {
  StringOutputStream sink;
  parquet::FileWriter writer(sink, {{"id", ColumnType::kString, false}});
  writer.AppendNull();
  writer.EndRow();
  writer.AppendString("\xff");
  writer.EndRow();
  EXPECT_NE(writer.status().message().find("REQUIRED"), std::string::npos);
  EXPECT_EQ(writer.Finish().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace slack_intel::testing

namespace slack_intel::testing {
namespace {

// The writer's exact bytes for fixed rows. A change here changes every cache file (and makes
// the next sync re-upload everything), so it must be deliberate: regenerate with
// SLACK_INTEL_UPDATE_GOLDEN=1 and say why in the commit.
TEST(FileWriter, MatchesTheGoldenFile) {
  const std::filesystem::path golden = std::filesystem::path(SLACK_INTEL_SOURCE_DIR) /
                                       "tests/testdata/parquet/slack-intel-every-type.parquet";
  WriterOptions options;
  options.page_size_bytes = 512;
  const std::string bytes = WriteFile(EveryTypeSchema(), EveryTypeRows(60, 99), options);
  if (std::getenv("SLACK_INTEL_UPDATE_GOLDEN") != nullptr) {
    std::ofstream(golden, std::ios::binary) << bytes;
  }
  std::ifstream in(golden, std::ios::binary);
  ASSERT_TRUE(in) << golden;
  const std::string expected((std::istreambuf_iterator<char>(in)),
                             std::istreambuf_iterator<char>());
  EXPECT_TRUE(bytes == expected) << "writer output changed (" << bytes.size() << " bytes vs "
                                 << expected.size() << " in " << golden << ")";
}

}  // namespace
}  // namespace slack_intel::testing
