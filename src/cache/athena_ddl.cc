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

void MessagesTable(std::string& out, const AthenaDdlOptions& options,
                   const CachePartitions& cache) {
  const std::string table = Table(options, "slack_messages");
  const std::string location = options.location + "messages/";
  out += fmt::format(
      "-- One row per message and thread reply; partitions: messages/dt=YYYY-MM-DD/channel=NAME/\n"
      "CREATE EXTERNAL TABLE IF NOT EXISTS {} (\n{})\n"
      "PARTITIONED BY (`dt` STRING, `channel` STRING)\n"
      "STORED AS PARQUET\n"
      "LOCATION '{}'",
      table, Columns(MessageSchema()), location);
  const std::vector<std::string> channels = ChannelValues(cache);
  if (options.projection && !cache.messages.empty()) {
    out += fmt::format(
        "\nTBLPROPERTIES (\n"
        "  'projection.enabled'='true',\n{}"
        "  'projection.channel.type'='enum',\n"
        "  {},\n"
        "  'storage.location.template'='{}dt=${{dt}}/channel=${{channel}}/'\n);\n\n",
        DayRangeProperties(cache.messages.front().day), ChannelValuesProperty(channels), location);
    out += fmt::format(
        "-- Channels added later: run `slack-intel athena-ddl --projection` again and run this\n"
        "-- statement from its output.\n"
        "ALTER TABLE {} SET TBLPROPERTIES ({});\n\n",
        table, ChannelValuesProperty(channels));
  } else {
    out += ";\n\n";
  }
  if (options.partitions) {
    std::vector<std::string> specs;
    for (const MessagesPartition& p : cache.messages) {
      const std::string& value = PlainLiteral(p.channel) ? p.channel : p.folder_value;
      specs.push_back(
          fmt::format("PARTITION (`dt`='{}', `channel`='{}') LOCATION '{}dt={}/channel={}/'", p.day,
                      value, location, p.day, p.folder_value));
    }
    if (!specs.empty()) AddPartitionStatements(out, table, specs);
  }
  if (!options.projection && !options.partitions)
    out += fmt::format("MSCK REPAIR TABLE {};\n\n", table);
}

void JiraTable(std::string& out, const AthenaDdlOptions& options, const CachePartitions& cache) {
  const std::string table = Table(options, "slack_jira");
  const std::string location = options.location + "jira/";
  out += fmt::format(
      "-- One row per Jira ticket mentioned on a day; partitions: jira/dt=YYYY-MM-DD/\n"
      "CREATE EXTERNAL TABLE IF NOT EXISTS {} (\n{})\n"
      "PARTITIONED BY (`dt` STRING)\n"
      "STORED AS PARQUET\n"
      "LOCATION '{}'",
      table, Columns(JiraSchema()), location);
  if (options.projection && !cache.jira_days.empty()) {
    out += fmt::format(
        "\nTBLPROPERTIES (\n"
        "  'projection.enabled'='true',\n{}"
        "  'storage.location.template'='{}dt=${{dt}}/'\n);\n\n",
        DayRangeProperties(cache.jira_days.front()), location);
  } else {
    out += ";\n\n";
  }
  if (options.partitions) {
    std::vector<std::string> specs;
    for (const std::string& day : cache.jira_days) {
      specs.push_back(fmt::format("PARTITION (`dt`='{}') LOCATION '{}dt={}/'", day, location, day));
    }
    if (!specs.empty()) AddPartitionStatements(out, table, specs);
  }
  if (!options.projection && !options.partitions)
    out += fmt::format("MSCK REPAIR TABLE {};\n\n", table);
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
