#pragma once

#include <filesystem>
#include <string>
#include <string_view>

namespace slack_intel::cache {

// The cache's layout, in one place (docs/cache-layout.md): its partition paths, and what sync
// makes of them.

// The folder of the cache whose files sync maps to the bucket's root (raw/<X> <-> <X>; any
// other file <name> <-> <name>), as the user guide shows. The CLI hands it to the stores.
inline constexpr char kRawFolder[] = "raw";

// The bucket folder (under the prefix) of the manifests athena-ddl's tables read; sync never
// uploads, downloads or deletes under it.
inline constexpr char kAthenaFolder[] = "_athena";

// Escapes a Hive partition value the way Hive does (FileUtils.escapePathName): every byte
// below 0x20, 0x7F and one of "#%'*/:=?\\{[]^ becomes %XX (uppercase hex), so any channel
// name is one safe folder name that Athena, Spark, Trino and DuckDB decode back. An empty
// value is Hive's __HIVE_DEFAULT_PARTITION__.
std::string EscapePartitionValue(std::string_view value);
// The inverse: %XX decoded, __HIVE_DEFAULT_PARTITION__ -> "". Malformed escapes stay as they are.
std::string UnescapePartitionValue(std::string_view folder_value);

// Whether "channel=<escaped name>" is a folder name file systems accept (NAME_MAX, 255 bytes).
// Slack caps names at 80 characters; an export or a hostile server may not.
bool ChannelFitsInFolderName(std::string_view channel);

// raw/messages/dt=<day>/channel=<escaped name>/data.parquet, relative to the cache folder.
std::filesystem::path MessagesPartitionFile(std::string_view day, std::string_view channel);
// raw/jira/dt=<day>/data.parquet
std::filesystem::path JiraPartitionFile(std::string_view day);
// users.parquet
std::filesystem::path UsersFile();

}  // namespace slack_intel::cache
