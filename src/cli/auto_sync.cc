#include "cli/auto_sync.h"

#include <fmt/format.h>

#include <CLI/CLI.hpp>

#include "cli/sync_command.h"
#include "s3/bucket_name.h"

namespace slack_intel::cli {

void AddAutoSyncFlags(CLI::App& command, AutoSyncOptions& options) {
  command.add_flag("--sync,!--no-sync", options.enabled,
                   "Then sync the cache to --bucket (or s3.bucket), as `slack-intel sync` does "
                   "(--no-sync: not even when sync.auto is true)");
  AddDestinationFlags(command, options.to, "With --sync: ");
}

Status CheckAutoSync(const AutoSyncOptions& options, const char* command) {
  if (!options.enabled) return Status::OK();
  if (options.to.bucket.empty()) {
    return Status::InvalidArgument(fmt::format(
        "{} --sync (or sync.auto in the config file) needs a bucket: --bucket NAME or s3.bucket "
        "in the config file",
        command));
  }
  return s3::ValidateBucketName(options.to.bucket);
}

Status RunAutoSync(const AutoSyncOptions& options, const std::filesystem::path& cache_path,
                   bool json, bool quiet, bool no_progress) {
  if (!options.enabled) return Status::OK();
  SyncOptions sync;
  sync.bucket = options.to.bucket;
  sync.prefix = options.to.prefix;
  sync.region = options.to.region;
  sync.profile = options.to.profile;
  sync.endpoint_url = options.to.endpoint_url;
  sync.cache_path = cache_path;
  sync.json = json;
  sync.quiet = quiet;
  sync.no_progress = no_progress;
  return RunSync(sync);
}

}  // namespace slack_intel::cli
