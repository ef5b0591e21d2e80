// The Athena statements athena-ddl prints, as text: table names, locations, projection and the
// ADD PARTITION lists. That their columns are the files' columns is checked end to end
// (tests/e2e/athena_ddl_test.cc) against DuckDB's reading of files we wrote.

#include "cache/athena_ddl.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <string>

namespace slack_intel::cache {
namespace {

size_t Count(const std::string& text, const std::string& needle) {
  size_t n = 0;
  for (size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++n;
  return n;
}

CachePartitions TwoChannels() {
  CachePartitions cache;
  cache.messages = {{"2025-10-20", "eng", "eng"},
                    {"2025-10-21", "eng", "eng"},
                    {"2025-10-21", "ops%3Aalerts", "ops:alerts"}};
  cache.jira_days = {"2025-10-21"};
  cache.has_users = true;
  return cache;
}

TEST(AthenaDdl, PlainTablesLoadPartitionsWithMsckRepair) {
  const std::string ddl = AthenaDdl({.location = "s3://my-slack-data/prod/",
                                     .database = "",
                                     .projection = false,
                                     .partitions = false},
                                    TwoChannels());
  EXPECT_NE(ddl.find("CREATE EXTERNAL TABLE IF NOT EXISTS `slack_messages` (\n"
                     "  `message_id` STRING,\n  `user_id` STRING,"),
            std::string::npos)
      << ddl;
  EXPECT_NE(ddl.find("  `jira_tickets` ARRAY<STRING>,\n"), std::string::npos);
  EXPECT_NE(ddl.find("  `reply_count` BIGINT,\n"), std::string::npos);
  EXPECT_NE(ddl.find("PARTITIONED BY (`dt` STRING, `channel` STRING)\nSTORED AS PARQUET\n"
                     "LOCATION 's3://my-slack-data/prod/messages/';"),
            std::string::npos);
  EXPECT_NE(ddl.find("LOCATION 's3://my-slack-data/prod/jira/';"), std::string::npos);
  EXPECT_EQ(Count(ddl, "MSCK REPAIR TABLE"), 2u);
  EXPECT_EQ(Count(ddl, "CREATE DATABASE"), 0u);
  EXPECT_EQ(Count(ddl, "projection"), 0u);
  // users.parquet is read through a manifest under _athena/, never the prefix root.
  EXPECT_NE(ddl.find("echo 's3://my-slack-data/prod/users.parquet' | aws s3 cp - "
                     "'s3://my-slack-data/prod/_athena/users/symlink.txt'"),
            std::string::npos);
  EXPECT_NE(ddl.find("SymlinkTextInputFormat"), std::string::npos);
  EXPECT_NE(ddl.find("LOCATION 's3://my-slack-data/prod/_athena/users/';"), std::string::npos);
  EXPECT_EQ(ddl.find("LOCATION 's3://my-slack-data/prod/'"), std::string::npos);
}

TEST(AthenaDdl, ProjectionCoversTheCachesFirstDayOnAndItsChannels) {
  const std::string ddl = AthenaDdl(
      {.location = "s3://b/", .database = "slack_data", .projection = true, .partitions = false},
      TwoChannels());
  EXPECT_NE(ddl.find("CREATE DATABASE IF NOT EXISTS `slack_data`;"), std::string::npos);
  EXPECT_NE(ddl.find("CREATE EXTERNAL TABLE IF NOT EXISTS `slack_data`.`slack_messages`"),
            std::string::npos);
  EXPECT_EQ(Count(ddl, "'projection.dt.range'='2025-10-20,NOW'"), 1u);  // messages
  EXPECT_EQ(Count(ddl, "'projection.dt.range'='2025-10-21,NOW'"), 1u);  // jira
  // The enum holds the folder values, the names Athena's template puts in the path.
  EXPECT_EQ(Count(ddl, "'projection.channel.values'='eng,ops%3Aalerts'"), 2u);  // create, refresh
  EXPECT_NE(ddl.find("ALTER TABLE `slack_data`.`slack_messages` SET TBLPROPERTIES "
                     "('projection.channel.values'='eng,ops%3Aalerts');"),
            std::string::npos);
  EXPECT_NE(ddl.find("'storage.location.template'='s3://b/messages/dt=${dt}/channel=${channel}/'"),
            std::string::npos);
  EXPECT_EQ(Count(ddl, "MSCK REPAIR TABLE"), 0u);
}

TEST(AthenaDdl, PartitionsAreExactlyTheCachesInStatementsOfAHundred) {
  CachePartitions cache;
  for (int day = 1; day <= 28; ++day) {
    for (const char* channel : {"a", "b", "c", "d", "e"}) {
      cache.messages.push_back({fmt::format("2026-02-{:02d}", day), channel, channel});
    }
  }
  cache.messages.push_back({"2026-03-01", "it%27s", "it's"});
  cache.messages.push_back({"2026-03-01", "ops%3Aalerts", "ops:alerts"});
  cache.jira_days = {"2026-02-01", "2026-02-02"};
  const std::string ddl = AthenaDdl(
      {.location = "s3://b/p/", .database = "", .projection = false, .partitions = true}, cache);
  EXPECT_EQ(Count(ddl, "ALTER TABLE `slack_messages` ADD IF NOT EXISTS\n"), 2u);  // 142 partitions
  EXPECT_EQ(Count(ddl, "ALTER TABLE `slack_jira` ADD IF NOT EXISTS\n"), 1u);
  EXPECT_EQ(Count(ddl, "  PARTITION (`dt`="), 144u);
  EXPECT_NE(ddl.find("  PARTITION (`dt`='2026-02-01', `channel`='a') LOCATION "
                     "'s3://b/p/messages/dt=2026-02-01/channel=a/'\n"),
            std::string::npos);
  // The value is the name; the location, the folder.
  EXPECT_NE(ddl.find("`channel`='ops:alerts') LOCATION 's3://b/p/messages/dt=2026-03-01/"
                     "channel=ops%3Aalerts/';"),
            std::string::npos);
  // A quote cannot go into a Hive literal as it is: the folder value stands in for the name.
  EXPECT_NE(ddl.find("`channel`='it%27s') LOCATION"), std::string::npos);
  EXPECT_NE(ddl.find("  PARTITION (`dt`='2026-02-02') LOCATION 's3://b/p/jira/dt=2026-02-02/';"),
            std::string::npos);
  EXPECT_EQ(Count(ddl, "MSCK REPAIR TABLE"), 0u);
}

TEST(AthenaType, EveryColumnTypeWeWriteHasItsAthenaType) {
  using parquet::ColumnType;
  EXPECT_EQ(AthenaType(ColumnType::kBoolean), "BOOLEAN");
  EXPECT_EQ(AthenaType(ColumnType::kInt32), "INT");
  EXPECT_EQ(AthenaType(ColumnType::kInt64), "BIGINT");
  EXPECT_EQ(AthenaType(ColumnType::kDouble), "DOUBLE");
  EXPECT_EQ(AthenaType(ColumnType::kString), "STRING");
  EXPECT_EQ(AthenaType(ColumnType::kTimestampMicros), "TIMESTAMP");
  EXPECT_EQ(AthenaType(ColumnType::kStringList), "ARRAY<STRING>");
}

}  // namespace
}  // namespace slack_intel::cache
