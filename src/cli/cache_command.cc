#include "cli/cache_command.h"

#include <CLI/CLI.hpp>

namespace slack_intel::cli {

CLI::App* SetUpCacheCommand(CLI::App& app, CacheOptions& options) {
  CLI::App* cache =
      app.add_subcommand("cache", "Fetch Slack messages into the local Parquet cache");
  cache->add_option("--days", options.days, "Whole calendar days to fetch, including today")
      ->check(CLI::Range(1, 36500))
      ->capture_default_str();
  cache->add_option("--cache-path", options.cache_path, "Cache folder to write")
      ->capture_default_str();
  return cache;
}

Status RunCache(const CacheOptions&) {
  // TODO(#6): fetch from the Slack Web API and write partitions.
  return Status::Internal("cache: not implemented yet (issue #6)");
}

}  // namespace slack_intel::cli
