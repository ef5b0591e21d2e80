#pragma once

#include <string>

#include "cache/cache_partitions.h"
#include "parquet/schema.h"

namespace slack_intel::cache {

// Where the synced cache lives and what to print (docs/athena.md).
struct AthenaDdlOptions {
  std::string location;     // "s3://BUCKET/PREFIX", PREFIX empty or ending in '/'
  std::string database;     // empty: unqualified table names, no CREATE DATABASE
  bool projection = false;  // partition projection for dt (date) and channel (enum)
  bool partitions = false;  // ALTER TABLE ... ADD IF NOT EXISTS PARTITION for each partition
};

// Athena's (Hive DDL) type of a column we write: STRING, BIGINT, ARRAY<STRING>, ...
std::string AthenaType(parquet::ColumnType type);

// The statements, `;`-terminated with comments between them, that create the tables
// slack_messages, slack_jira and slack_users over the files sync puts at `location`, from the
// same schemas the writer uses. Partitions come from `cache` (projection ranges and channel
// values, or the ADD PARTITION lists); without --projection or --partitions the tables are
// loaded with MSCK REPAIR TABLE.
std::string AthenaDdl(const AthenaDdlOptions& options, const CachePartitions& cache);

}  // namespace slack_intel::cache
