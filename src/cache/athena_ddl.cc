#include "cache/athena_ddl.h"

#include <fmt/format.h>

#include <algorithm>
#include <set>
#include <string_view>

#include "cache/layout.h"
#include "cache/tables.h"

namespace slack_intel::cache {
namespace {

using parquet::ColumnType;

// Partitions per ALTER TABLE statement: Athena caps a query at 256 KB of text.
constexpr size_t kPartitionsPerStatement = 100;

std::string Table(const AthenaDdlOptions& options, std::string_view name) {
  if (options.database.empty()) return fmt::format("`{}`", name);
  return fmt::format("`{}`.`{}`", options.database, name);
}

std::string Columns(const parquet::Schema& schema) {
  std::string out;
  for (size_t i = 0; i < schema.size(); ++i) {
    out += fmt::format("  `{}` {}{}\n", schema[i].name, AthenaType(schema[i].type),
                       i + 1 < schema.size() ? "," : "");
  }
  return out;
}

// Whether `value` can go between single quotes in Hive DDL as it is (Hive reads \ and ' as
// escapes; no Slack name holds either, or a control character).
bool PlainLiteral(std::string_view value) {
  return std::none_of(value.begin(), value.end(), [](char c) {
    return c == '\'' || c == '\\' || static_cast<unsigned char>(c) < 0x20;
  });
}

std::string DayRangeProperties(const std::string& first_day) {
  return fmt::format(
      "  'projection.dt.type'='date',\n"
      "  'projection.dt.format'='yyyy-MM-dd',\n"
      "  'projection.dt.range'='{},NOW',\n"
      "  'projection.dt.interval'='1',\n"
      "  'projection.dt.interval.unit'='DAYS',\n",
      first_day);
}

// The channel enum: the folder values, which are the names for every name Slack allows.
// A value holding ',' cannot be in the list.
std::vector<std::string> ChannelValues(const CachePartitions& cache) {
  std::set<std::string> values;
  for (const MessagesPartition& p : cache.messages) {
    if (p.folder_value.find(',') == std::string::npos) values.insert(p.folder_value);
  }
  return {values.begin(), values.end()};
}

std::string ChannelValuesProperty(const std::vector<std::string>& values) {
  return fmt::format("'projection.channel.values'='{}'", fmt::join(values, ","));
}

void AddPartitionStatements(std::string& out, const std::string& table,
                            const std::vector<std::string>& specs) {
  for (size_t i = 0; i < specs.size(); i += kPartitionsPerStatement) {
    out += fmt::format("ALTER TABLE {} ADD IF NOT EXISTS\n", table);
    const size_t end = std::min(specs.size(), i + kPartitionsPerStatement);
    for (size_t j = i; j < end; ++j)
      out += fmt::format("  {}{}\n", specs[j], j + 1 < end ? "" : ";");
  }
  out += "\n";
}

// A table partitioned by day (and for messages, by channel), and how it learns its partitions.
struct PartitionedTable {
  std::string_view name, folder, about;
  parquet::Schema schema;
  std::string_view partition_columns;   // for PARTITIONED BY
  std::string_view path_template;       // of a partition, under the folder, for projection
  std::string first_day;                // empty: no partitions yet
  std::string more_projection;          // properties beyond dt's
  std::string after_projection;         // a statement to print after the CREATE
  std::vector<std::string> partitions;  // PARTITION (...) LOCATION '...' of each
};

void WriteTable(std::string& out, const AthenaDdlOptions& options, const PartitionedTable& t) {
  const std::string table = Table(options, t.name);
  const std::string location = fmt::format("{}{}/", options.location, t.folder);
  out += fmt::format(
      "-- {}; partitions: {}/{}\n"
      "CREATE EXTERNAL TABLE IF NOT EXISTS {} (\n{})\n"
      "PARTITIONED BY ({})\n"
      "STORED AS PARQUET\n"
      "LOCATION '{}'",
      t.about, t.folder, t.path_template, table, Columns(t.schema), t.partition_columns, location);
  if (options.projection && !t.first_day.empty()) {
    out += fmt::format(
        "\nTBLPROPERTIES (\n"
        "  'projection.enabled'='true',\n{}{}"
        "  'storage.location.template'='{}{}'\n);\n\n{}",
        DayRangeProperties(t.first_day), t.more_projection, location, t.path_template,
        t.after_projection);
  } else {
    out += ";\n\n";
  }
  if (options.partitions && !t.partitions.empty()) {
    AddPartitionStatements(out, table, t.partitions);
  }
  if (!options.projection && !options.partitions) {
    out += fmt::format("MSCK REPAIR TABLE {};\n\n", table);
  }
}

void MessagesTable(std::string& out, const AthenaDdlOptions& options,
                   const CachePartitions& cache) {
  PartitionedTable t{.name = "slack_messages",
                     .folder = "messages",
                     .about = "One row per message and thread reply",
                     .schema = MessageSchema(),
                     .partition_columns = "`dt` STRING, `channel` STRING",
                     .path_template = "dt=${dt}/channel=${channel}/",
                     .first_day = cache.messages.empty() ? "" : cache.messages.front().day,
                     .more_projection = "",
                     .after_projection = "",
                     .partitions = {}};
  const std::string channels = ChannelValuesProperty(ChannelValues(cache));
  t.more_projection = fmt::format("  'projection.channel.type'='enum',\n  {},\n", channels);
  t.after_projection = fmt::format(
      "-- Channels added later: run `slack-intel athena-ddl --projection` again and run this\n"
      "-- statement from its output.\n"
      "ALTER TABLE {} SET TBLPROPERTIES ({});\n\n",
      Table(options, t.name), channels);
  for (const MessagesPartition& p : cache.messages) {
    const std::string& value = PlainLiteral(p.channel) ? p.channel : p.folder_value;
    t.partitions.push_back(
        fmt::format("PARTITION (`dt`='{}', `channel`='{}') LOCATION '{}messages/dt={}/channel={}/'",
                    p.day, value, options.location, p.day, p.folder_value));
  }
  WriteTable(out, options, t);
}

void JiraTable(std::string& out, const AthenaDdlOptions& options, const CachePartitions& cache) {
  PartitionedTable t{.name = "slack_jira",
                     .folder = "jira",
                     .about = "One row per Jira ticket mentioned on a day",
                     .schema = JiraSchema(),
                     .partition_columns = "`dt` STRING",
                     .path_template = "dt=${dt}/",
                     .first_day = cache.jira_days.empty() ? "" : cache.jira_days.front(),
                     .more_projection = "",
                     .after_projection = "",
                     .partitions = {}};
  for (const std::string& day : cache.jira_days) {
    t.partitions.push_back(
        fmt::format("PARTITION (`dt`='{}') LOCATION '{}jira/dt={}/'", day, options.location, day));
  }
  WriteTable(out, options, t);
}

void UsersTable(std::string& out, const AthenaDdlOptions& options) {
  const std::string manifest = fmt::format("{}{}/users/", options.location, kAthenaFolder);
  out += fmt::format(
      "-- One row per user. users.parquet sits beside messages/ and jira/, and Athena reads every\n"
      "-- file under a table's LOCATION, so this table reads it through a manifest naming it\n"
      "-- (sync never uploads, downloads or deletes {}/). Create the manifest once:\n"
      "--   echo '{}users.parquet' | aws s3 cp - '{}symlink.txt'\n"
      "CREATE EXTERNAL TABLE IF NOT EXISTS {} (\n{})\n"
      "ROW FORMAT SERDE 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe'\n"
      "STORED AS INPUTFORMAT 'org.apache.hadoop.hive.ql.io.SymlinkTextInputFormat'\n"
      "OUTPUTFORMAT 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat'\n"
      "LOCATION '{}';\n",
      kAthenaFolder, options.location, manifest, Table(options, "slack_users"),
      Columns(UserSchema()), manifest);
}

}  // namespace

std::string AthenaType(ColumnType type) {
  switch (type) {
    case ColumnType::kBoolean:
      return "BOOLEAN";
    case ColumnType::kInt32:
      return "INT";
    case ColumnType::kInt64:
      return "BIGINT";
    case ColumnType::kDouble:
      return "DOUBLE";
    case ColumnType::kString:
      return "STRING";
    case ColumnType::kTimestampMillis:
    case ColumnType::kTimestampMicros:
      return "TIMESTAMP";
    case ColumnType::kStringList:
      return "ARRAY<STRING>";
  }
  return "STRING";
}

std::string AthenaDdl(const AthenaDdlOptions& options, const CachePartitions& cache) {
  std::string out =
      fmt::format("-- Athena tables over the slack-intel cache at {} (slack-intel athena-ddl)\n\n",
                  options.location);
  if (!options.database.empty()) {
    out += fmt::format("CREATE DATABASE IF NOT EXISTS `{}`;\n\n", options.database);
  }
  MessagesTable(out, options, cache);
  JiraTable(out, options, cache);
  UsersTable(out, options);
  return out;
}

}  // namespace slack_intel::cache
