#pragma once

#include <filesystem>
#include <string>

#include "cli/destination.h"
#include "util/status.h"

namespace CLI {
class App;
}

namespace slack_intel::cli {

// The roadmap's auto-sync: `cache --sync` and `import --sync` (or `sync.auto: true` in the
// config file) run `sync` after a successful run, with sync's destination flags or the config
// file's s3 settings. A failed run never syncs.
struct AutoSyncOptions {
  bool enabled = false;  // --sync, or sync.auto
  std::string dest;      // --dest URL, or sync.dest; over `to` when set
  Destination to;
};

// Adds --sync and the destination flags to `command`. REQUIRES: `options` outlives parsing.
void AddAutoSyncFlags(CLI::App& command, AutoSyncOptions& options);

// Whether the settings can sync, checked before the run so a long cache never ends in a usage
// error. Errors: kInvalidArgument (no destination, a bad bucket, a URL of no store we know).
Status CheckAutoSync(const AutoSyncOptions& options, const char* command);

// Syncs `cache_path` when enabled, printing as `sync` does with these output settings.
// Errors: those of RunSync.
Status RunAutoSync(const AutoSyncOptions& options, const std::filesystem::path& cache_path,
                   bool json, bool quiet, bool no_progress);

}  // namespace slack_intel::cli
