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

// `slack-intel import`: a Slack workspace export (ZIP or folder) -> the same cache `cache`
// writes (docs/import.md).
struct ImportOptions {
  std::filesystem::path export_path;           // positional: EXPORT.zip or an unzipped folder
  std::filesystem::path cache_path = "cache";  // --cache-path
  std::string timezone = "UTC";                // --timezone: whose calendar days partition
  std::vector<std::string> channels;           // --channels a,b (names or IDs)
  std::vector<std::string> exclude_channels;   // --exclude-channels
  bool no_jira = false;                        // --no-jira
  bool no_progress = false;                    // --no-progress
  bool json = false;                           // --json
  std::string codec = "zstd";                  // --codec zstd|snappy|gzip|none
  int compression_level = 0;                   // --compression-level; 0: the codec's default
  bool quiet = false;                          // the global --quiet
  config::ConfigFile config;                   // Jira settings when the environment has none
  AutoSyncOptions auto_sync;                   // --sync and its destination
};

// Registers the `import` subcommand on `app`, binding its arguments to `options`.
// REQUIRES: `options` outlives parsing. Returns the subcommand (owned by `app`).
CLI::App* SetUpImportCommand(CLI::App& app, ImportOptions& options);

// Imports the export. Errors name the file at fault: a missing export, a corrupt or truncated
// ZIP, zip-slip entry names, day files that are not JSON.
Status RunImport(const ImportOptions& options);

}  // namespace slack_intel::cli
