// `slack-intel athena-ddl` on a cache the tool wrote: the tables' columns and types are the
// columns DuckDB reads in the files, the partitions listed are exactly the cache's, and each
// failure gets its line and exit code.

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "e2e/cache_fixture.h"

namespace slack_intel::testing {
namespace {

namespace fs = std::filesystem;
using Columns = std::vector<std::pair<std::string, std::string>>;

class AthenaDdlE2E : public CacheE2E {
 protected:
  // A generated workspace (so Jira keys are mentioned) imported into cache_.
  void ImportWorkspace(int channels, int days) {
    const fs::path source = GenerateWorkspace(7, channels, days);
    ProcessResult run = RunProcess(
        {SLACK_INTEL_BIN_PATH, "import", source.string(), "--cache-path", cache_.string()},
        {{"JIRA_URL", ""}});
    ASSERT_EQ(run.exit_code, 0) << run.stderr_text;
  }

  ProcessResult Ddl(std::vector<std::string> extra) {
    std::vector<std::string> args = {SLACK_INTEL_BIN_PATH, "athena-ddl"};
    if (std::find(extra.begin(), extra.end(), "--cache-path") == extra.end()) {
      args.insert(args.end(), {"--cache-path", cache_.string()});
    }
    args.insert(args.end(), extra.begin(), extra.end());
    return RunProcess(args, {{"XDG_CONFIG_HOME", dir_.path().string()}});
  }

  // The text between `open` and the next `close` from `at` on; npos-safe ("" when absent).
  static std::string Between(const std::string& text, const std::string& open,
                             const std::string& close, size_t& at) {
    const size_t start = text.find(open, at);
    if (start == std::string::npos) return at = std::string::npos, "";
    const size_t end = text.find(close, start + open.size());
    if (end == std::string::npos) return at = std::string::npos, "";
    at = end + close.size();
    return text.substr(start + open.size(), end - start - open.size());
  }

  // table -> its columns in DDL order, from each CREATE EXTERNAL TABLE of `ddl`: lines
  // "  `name` TYPE," up to the line ")".
  static std::map<std::string, Columns> DdlColumns(const std::string& ddl) {
    std::map<std::string, Columns> tables;
    for (size_t at = 0; at != std::string::npos;) {
      const std::string table = Between(ddl, "CREATE EXTERNAL TABLE IF NOT EXISTS `", "` (\n", at);
      if (at == std::string::npos) break;
      const std::string body = ddl.substr(at, ddl.find("\n)", at) - at);
      for (const std::string& line : SplitLines(body)) {
        const size_t tick = line.find('`', 3);
        std::string type = line.substr(tick + 2);
        if (type.ends_with(",")) type.pop_back();
        tables[table].emplace_back(line.substr(3, tick - 3), type);
      }
    }
    return tables;
  }

  // The file's columns as DuckDB reads them, in Athena's type names.
  Columns DuckDbColumns(const fs::path& file) {
    const std::map<std::string, std::string> athena = {
        {"VARCHAR", "STRING"},  {"BIGINT", "BIGINT"}, {"INTEGER", "INT"},
        {"BOOLEAN", "BOOLEAN"}, {"DOUBLE", "DOUBLE"}, {"VARCHAR[]", "ARRAY<STRING>"}};
    Columns columns;
    for (const auto& row : Query("DESCRIBE SELECT * FROM read_parquet('" + file.string() +
                                 "', hive_partitioning=false)")) {
      const std::string type = row["column_type"];
      columns.emplace_back(row["column_name"], athena.count(type) ? athena.at(type) : type);
    }
    return columns;
  }

  fs::path FirstFile(const fs::path& folder) {
    for (const auto& entry : fs::recursive_directory_iterator(folder))
      if (entry.path().filename() == "data.parquet") return entry.path();
    ADD_FAILURE() << "no data.parquet under " << folder;
    return {};
  }
};

TEST_F(AthenaDdlE2E, TheTablesColumnsAndTypesAreWhatDuckDbReadsInOurFiles) {
  ImportWorkspace(3, 5);
  ProcessResult run = Ddl({"--bucket", "my-slack-data", "--prefix", "prod"});
  ASSERT_EQ(run.exit_code, 0) << run.stderr_text;
  const auto tables = DdlColumns(run.stdout_text);
  ASSERT_EQ(tables.size(), 3u) << run.stdout_text;
  EXPECT_EQ(tables.at("slack_messages"), DuckDbColumns(FirstFile(cache_ / "raw/messages")));
  EXPECT_EQ(tables.at("slack_jira"), DuckDbColumns(FirstFile(cache_ / "raw/jira")));
  EXPECT_EQ(tables.at("slack_users"), DuckDbColumns(cache_ / "users.parquet"));
  // The user guide's eleven columns come first, in its order and types.
  const Columns guide = {{"message_id", "STRING"},
                         {"user_id", "STRING"},
                         {"text", "STRING"},
                         {"timestamp", "STRING"},
                         {"thread_ts", "STRING"},
                         {"is_thread_parent", "BOOLEAN"},
                         {"is_thread_reply", "BOOLEAN"},
                         {"reply_count", "BIGINT"},
                         {"user_name", "STRING"},
                         {"user_real_name", "STRING"},
                         {"jira_tickets", "ARRAY<STRING>"}};
  const Columns& messages = tables.at("slack_messages");
  ASSERT_GE(messages.size(), guide.size());
  EXPECT_EQ(Columns(messages.begin(), messages.begin() + guide.size()), guide);
  EXPECT_NE(run.stdout_text.find("LOCATION 's3://my-slack-data/prod/messages/'"),
            std::string::npos);
  EXPECT_NE(run.stdout_text.find("MSCK REPAIR TABLE `slack_messages`;"), std::string::npos);
}

TEST_F(AthenaDdlE2E, PartitionsAndProjectionListExactlyWhatTheCacheHolds) {
  ImportWorkspace(4, 30);
  std::set<std::string> expected;  // "dt|channel" as DuckDB reads the hive partitions
  std::set<std::string> channels;
  std::string first_day = "9999";
  for (const auto& [key, _] : CachedCounts()) {
    const std::string channel = key.substr(0, key.find('|'));
    const std::string day = key.substr(key.find('|') + 1);
    expected.insert(day + "|" + channel);
    channels.insert(channel);
    first_day = std::min(first_day, day);
  }
  ASSERT_GT(expected.size(), 100u) << "enough partitions for two ALTER TABLE statements";

  ProcessResult run = Ddl({"--bucket", "lake", "--partitions"});
  ASSERT_EQ(run.exit_code, 0) << run.stderr_text;
  std::set<std::string> listed;
  const std::string& ddl = run.stdout_text;
  for (size_t at = 0; at != std::string::npos;) {
    const std::string day = Between(ddl, "PARTITION (`dt`='", "', `channel`='", at);
    if (at == std::string::npos) break;
    const std::string channel = Between(ddl, "", "') LOCATION 's3://lake/messages/", at);
    const std::string folder = Between(ddl, "", "/'", at);
    listed.insert(day + "|" + channel);
    EXPECT_TRUE(fs::exists(cache_ / "raw/messages" / folder / "data.parquet"))
        << "no partition at " << folder;
  }
  EXPECT_EQ(listed, expected);
  size_t jira_days = 0;
  for (const auto& entry : fs::directory_iterator(cache_ / "raw/jira")) {
    ++jira_days;
    const std::string day = entry.path().filename().string().substr(3);
    EXPECT_NE(
        ddl.find(fmt::format("PARTITION (`dt`='{}') LOCATION 's3://lake/jira/dt={}/'", day, day)),
        std::string::npos);
  }
  EXPECT_GT(jira_days, 0u);
  EXPECT_EQ(ddl.find("MSCK"), std::string::npos);

  ProcessResult projected = Ddl({"--bucket", "lake", "--projection", "--database", "slack_data"});
  ASSERT_EQ(projected.exit_code, 0) << projected.stderr_text;
  std::string values;
  for (const std::string& channel : channels) values += (values.empty() ? "" : ",") + channel;
  EXPECT_NE(projected.stdout_text.find("'projection.channel.values'='" + values + "'"),
            std::string::npos)
      << projected.stdout_text;
  EXPECT_NE(projected.stdout_text.find("'projection.dt.range'='" + first_day + ",NOW'"),
            std::string::npos);
  EXPECT_NE(projected.stdout_text.find("CREATE DATABASE IF NOT EXISTS `slack_data`;"),
            std::string::npos);
}

TEST_F(AthenaDdlE2E, TheBucketAndPrefixComeFromTheConfigFileWhenNotGiven) {
  ImportWorkspace(2, 2);
  const fs::path config = dir_.path() / "config.yaml";
  std::ofstream(config) << "s3:\n  bucket: team-bucket\n  prefix: slack/\n";
  ProcessResult run = RunProcess({SLACK_INTEL_BIN_PATH, "--config", config.string(), "athena-ddl",
                                  "--cache-path", cache_.string()},
                                 {});
  ASSERT_EQ(run.exit_code, 0) << run.stderr_text;
  EXPECT_NE(run.stdout_text.find("LOCATION 's3://team-bucket/slack/jira/'"), std::string::npos);
}

TEST_F(AthenaDdlE2E, EachMistakeGetsOneLineAndAFailingExit) {
  ImportWorkspace(2, 2);
  struct Case {
    std::vector<std::string> args;
    std::string says;
  };
  const std::vector<Case> cases = {
      {{}, "athena-ddl needs the bucket sync uploads to: --bucket NAME"},
      {{"--bucket", "Not_A_Bucket"}, "Not_A_Bucket"},
      {{"--bucket", "lake", "--database", "slack-data; DROP"}, "not an Athena database name"},
      {{"--bucket", "lake", "--cache-path", (dir_.path() / "nowhere").string()},
       "Local path does not exist"},
  };
  for (const Case& c : cases) {
    ProcessResult run = Ddl(c.args);
    EXPECT_EQ(run.exit_code, 1) << c.says;
    EXPECT_NE(run.stderr_text.find(c.says), std::string::npos) << run.stderr_text;
    EXPECT_EQ(SplitLines(run.stderr_text).size(), 1u) << run.stderr_text;
    EXPECT_TRUE(run.stdout_text.empty()) << "no half a script on stdout";
  }
}

}  // namespace
}  // namespace slack_intel::testing
