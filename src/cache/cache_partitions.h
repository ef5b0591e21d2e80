#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "util/result.h"

namespace slack_intel::cache {

// A messages partition: raw/messages/dt=<day>/channel=<folder value>/data.parquet.
struct MessagesPartition {
  std::string day;           // YYYY-MM-DD
  std::string folder_value;  // the escaped name, as in the path
  std::string channel;       // the name it decodes to
  bool operator==(const MessagesPartition&) const = default;
};

// What a cache holds, read from its folders: the partitions a query engine would find.
struct CachePartitions {
  std::vector<MessagesPartition> messages;  // sorted by day, then folder value
  std::vector<std::string> jira_days;       // sorted
  bool has_users = false;
};

// Lists the partitions of the cache at `cache_path` that hold a data.parquet. Folders that are
// not partitions (a temp file, `dt=yesterday`) are skipped. Errors: kNotFound when the cache
// folder does not exist, kIOError when it cannot be read.
Result<CachePartitions> ListCachePartitions(const std::filesystem::path& cache_path);

}  // namespace slack_intel::cache
