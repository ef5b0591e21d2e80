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
  CLI::Option* dest =
      command
          .add_option("--dest", options.dest,
                      "With --sync: the destination as a URL (s3://, az://, gs://, file:///; "
                      "default: sync.dest)")
          ->excludes("--bucket")
          ->excludes("--prefix");
  // A --bucket on the command line wins over the config file's sync.dest.
  command.parse_complete_callback([&command, dest, &options] {
    if (command.get_option("--bucket")->count() > 0 && dest->count() == 0) options.dest.clear();
  });
}

Status CheckAutoSync(const AutoSyncOptions& options, const char* command) {
  if (!options.enabled) return Status::OK();
  if (!options.dest.empty()) {
    for (const char* scheme : {"s3://", "az://", "gs://", "file:///"}) {
      if (options.dest.starts_with(scheme)) return Status::OK();
    }
    return Status::InvalidArgument(
        fmt::format("{} --sync: '{}' is no destination URL (s3://, az://, gs:// or file:///)",
                    command, options.dest));
  }
  if (options.to.bucket.empty()) {
    return Status::InvalidArgument(fmt::format(
        "{} --sync (or sync.auto in the config file) needs a destination: --bucket NAME, --dest "
        "URL, or s3.bucket or sync.dest in the config file",
        command));
  }
  return s3::ValidateBucketName(options.to.bucket);
}

Status RunAutoSync(const AutoSyncOptions& options, const std::filesystem::path& cache_path,
                   bool json, bool quiet, bool no_progress) {
  if (!options.enabled) return Status::OK();
  SyncOptions sync;
  sync.dest = options.dest;
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
