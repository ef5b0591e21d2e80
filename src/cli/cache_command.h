#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "cli/auto_sync.h"
#include "config/config_file.h"
#include "util/status.h"

namespace CLI {
class App;
}

namespace slack_intel::cli {

// `slack-intel cache`: Slack Web API -> hive-partitioned Parquet under the cache path
// (docs/cache-layout.md). The token comes from SLACK_TOKEN (or SLACK_BOT_TOKEN), never argv;
// SLACK_API_URL points at another API base (an Enterprise proxy, the local stand-in).
struct CacheOptions {
  int days = 7;                                // --days: whole calendar days, including today
  std::string since;                           // --since YYYY-MM-DD (instead of --days)
  std::string until;                           // --until YYYY-MM-DD (with --since; default today)
  std::vector<std::string> channels;           // --channels a,b (names or IDs)
  std::vector<std::string> exclude_channels;   // --exclude-channels
  std::filesystem::path cache_path = "cache";  // --cache-path
  std::string timezone = "UTC";                // --timezone: whose calendar days partition
  bool no_threads = false;                     // --no-threads
  int thread_lookback = 30;                    // --thread-lookback DAYS
  bool no_jira = false;                        // --no-jira
  bool include_archived = false;               // --include-archived
  bool no_progress = false;                    // --no-progress
  bool json = false;                           // --json
  std::string codec = "zstd";                  // --codec zstd|snappy|gzip|none
  int compression_level = 0;                   // --compression-level; 0: the codec's default
  bool quiet = false;                          // the global --quiet
  config::ConfigFile config;                   // tokens and URLs when the environment has none
  AutoSyncOptions auto_sync;                   // --sync and its destination
};

// Registers the `cache` subcommand on `app`, binding its flags to `options`.
// REQUIRES: `options` outlives parsing. Returns the subcommand (owned by `app`).
CLI::App* SetUpCacheCommand(CLI::App& app, CacheOptions& options);

// Fetches the window and writes the partitions that changed, printing a summary.
// Errors: no token; the Slack errors (docs/cache-layout.md); bad dates or time zone.
Status RunCache(const CacheOptions& options);

}  // namespace slack_intel::cli
