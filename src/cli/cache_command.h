#pragma once

#include <filesystem>

#include "util/status.h"

namespace CLI {
class App;
}

namespace slack_intel::cli {

// `slack-intel cache`: Slack Web API -> hive-partitioned Parquet under the cache path.
struct CacheOptions {
  int days = 7;                                // --days: whole calendar days, including today
  std::filesystem::path cache_path = "cache";  // --cache-path
};

// Registers the `cache` subcommand on `app`, binding its flags to `options`.
// REQUIRES: `options` outlives parsing. Returns the subcommand (owned by `app`).
CLI::App* SetUpCacheCommand(CLI::App& app, CacheOptions& options);

// Fetches and writes the cache. Not built yet: returns kInternal naming its issue.
Status RunCache(const CacheOptions& options);

}  // namespace slack_intel::cli
