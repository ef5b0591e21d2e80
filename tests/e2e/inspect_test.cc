// `slack-intel inspect`, run as a user runs it, on the golden file and on broken ones.

#include <gtest/gtest.h>

#include <cstdlib>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "support/subprocess.h"

namespace slack_intel::testing {
namespace {

const std::string kTestData = std::string(SLACK_INTEL_SOURCE_DIR) + "/tests/testdata/parquet/";

ProcessResult Inspect(std::vector<std::string> args) {
  args.insert(args.begin(), {std::getenv("SLACK_INTEL_BIN"), "inspect"});
  return RunProcess(args);
}

TEST(Inspect, ShowsSchemaRowGroupsStatisticsAndRows) {
  ProcessResult result = Inspect({kTestData + "slack-intel-every-type.parquet", "--rows", "3"});
  ASSERT_EQ(result.exit_code, 0) << result.stderr_text;
  const std::string& out = result.stdout_text;
  for (const char* expected :
       {"created_by  slack-intel version", "rows        60 in 1 row group(s)", "LIST<STRING>",
        "TIMESTAMP(MICROS, UTC)", "REQUIRED", "SNAPPY", "RLE_DICTIONARY", "\"id-0\" .. \"id-9\"",
        "first 3 row(s)"}) {
    EXPECT_NE(out.find(expected), std::string::npos) << expected << "\n" << out;
  }
}

TEST(Inspect, JsonIsOneDocumentWithTypedValues) {
  ProcessResult result =
      Inspect({kTestData + "slack-intel-every-type.parquet", "--json", "--rows", "60"});
  ASSERT_EQ(result.exit_code, 0) << result.stderr_text;
  ASSERT_EQ(SplitLines(result.stdout_text).size(), 1u);
  const auto doc = nlohmann::json::parse(result.stdout_text);
  EXPECT_EQ(doc["num_rows"], 60);
  ASSERT_EQ(doc["columns"].size(), 9u);
  EXPECT_EQ(doc["columns"][0]["name"], "flag");  // file order, not sorted
  EXPECT_EQ(doc["columns"][7]["type"], "LIST<STRING>");
  EXPECT_EQ(doc["columns"][8]["nullable"], false);
  EXPECT_EQ(doc["rows"].size(), 60u);
  EXPECT_EQ(doc["rows"][0]["id"], "id-0");
  const auto& id_stats = doc["row_groups"][0]["columns"][8];
  EXPECT_EQ(id_stats["null_count"], 0);
  EXPECT_EQ(id_stats["min"], "id-0");
  EXPECT_EQ(id_stats["max"], "id-9");  // byte order: "id-9" > "id-59"
  const std::string ts = doc["rows"][1]["ts_us"];
  EXPECT_EQ(ts.size(), 27u) << ts;  // 2023-11-14T22:16:23.110439Z
  EXPECT_EQ(ts.back(), 'Z');
}

TEST(Inspect, ReadsDuckDbFiles) {
  ProcessResult result = Inspect({kTestData + "duckdb-one-row.parquet", "--json"});
  ASSERT_EQ(result.exit_code, 0) << result.stderr_text;
  const auto doc = nlohmann::json::parse(result.stdout_text);
  EXPECT_EQ(doc["created_by"].get<std::string>().rfind("DuckDB", 0), 0u);
  EXPECT_EQ(doc["rows"].size(), 1u);
}

// JSON has no NaN or infinities: they are named, not printed as null (which means "no value").
TEST(Inspect, NanAndInfinitiesAreNamedNotNull) {
  ProcessResult result = Inspect({kTestData + "duckdb-nan-infinity.parquet", "--json"});
  ASSERT_EQ(result.exit_code, 0) << result.stderr_text;
  const auto doc = nlohmann::json::parse(result.stdout_text);
  ASSERT_EQ(doc["rows"].size(), 5u);
  EXPECT_EQ(doc["rows"][0]["x"], "NaN");
  EXPECT_EQ(doc["rows"][1]["x"], "Infinity");
  EXPECT_EQ(doc["rows"][2]["x"], "-Infinity");
  EXPECT_EQ(doc["rows"][3]["x"], 1.5);
  EXPECT_TRUE(doc["rows"][4]["x"].is_null());
  ProcessResult text = Inspect({kTestData + "duckdb-nan-infinity.parquet"});
  EXPECT_NE(text.stdout_text.find("\"NaN\""), std::string::npos) << text.stdout_text;
}

TEST(Inspect, BrokenOrMissingFilesFailWithOneLine) {
  for (const std::string& file :
       {kTestData + "broken-truncated-half.parquet",
        kTestData + "broken-zero-footer-length.parquet", kTestData + "no-such.parquet"}) {
    ProcessResult result = Inspect({file});
    EXPECT_EQ(result.exit_code, 1) << file;
    EXPECT_EQ(SplitLines(result.stderr_text).size(), 1u) << result.stderr_text;
    EXPECT_NE(result.stderr_text.find(file), std::string::npos) << result.stderr_text;
    EXPECT_EQ(result.stdout_text, "");
  }
}

}  // namespace
}  // namespace slack_intel::testing
