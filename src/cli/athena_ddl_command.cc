#include "cli/athena_ddl_command.h"

#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdio>

#include "cache/athena_ddl.h"
#include "cache/cache_partitions.h"
#include "s3/bucket_name.h"
#include "store/open_store.h"

namespace slack_intel::cli {

CLI::App* SetUpAthenaDdlCommand(CLI::App& app, AthenaDdlOptions& options) {
  CLI::App* command = app.add_subcommand(
      "athena-ddl", "Print the Athena CREATE TABLE statements for the synced cache");
  command->add_option("--bucket", options.bucket, "Bucket sync uploads to (default: s3.bucket)");
  command->add_option("--prefix", options.prefix, "Key prefix sync uploads under");
  command->add_option("--database", options.database,
                      "Create the tables in this database (CREATE DATABASE IF NOT EXISTS)");
  command->add_flag("--projection", options.projection,
                    "Partition projection for dt and channel: no MSCK REPAIR TABLE needed");
  command->add_flag("--partitions", options.partitions,
                    "ALTER TABLE ... ADD IF NOT EXISTS PARTITION for each partition in the cache");
  command->add_option("--cache-path", options.cache_path, "Cache whose partitions are listed")
      ->capture_default_str();
  command->footer(
      "\nExample:\n"
      "  slack-intel athena-ddl --bucket my-slack-data --prefix prod/ --database slack_data "
      "--projection > tables.sql");
  return command;
}

Status RunAthenaDdl(const AthenaDdlOptions& options) {
  if (options.bucket.empty()) {
    return Status::InvalidArgument(
        "athena-ddl needs the bucket sync uploads to: --bucket NAME (or s3.bucket in the config "
        "file)");
  }
  SLACK_INTEL_RETURN_IF_ERROR(s3::ValidateBucketName(options.bucket));
  const bool database_ok =
      std::all_of(options.database.begin(), options.database.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
               c == '_';
      });
  if (!database_ok || options.database.size() > 255) {
    return Status::InvalidArgument(fmt::format(
        "not an Athena database name: '{}' (letters, digits and underscores)", options.database));
  }
  SLACK_INTEL_ASSIGN_OR_RETURN(cache::CachePartitions partitions,
                               cache::ListCachePartitions(options.cache_path));
  cache::AthenaDdlOptions ddl;
  ddl.location = fmt::format("s3://{}/{}", options.bucket, store::NormalizePrefix(options.prefix));
  ddl.database = options.database;
  ddl.projection = options.projection;
  ddl.partitions = options.partitions;
  const std::string text = cache::AthenaDdl(ddl, partitions);
  if (std::fwrite(text.data(), 1, text.size(), stdout) != text.size() || std::fflush(stdout) != 0) {
    return Status::IOError("cannot write to stdout");
  }
  return Status::OK();
}

}  // namespace slack_intel::cli
