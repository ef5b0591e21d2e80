#include "cli/sync_command.h"

#include <fmt/format.h>
#include <fmt/std.h>

#include <CLI/CLI.hpp>
#include <system_error>

#include "s3/bucket_name.h"

namespace slack_intel::cli {

CLI::App* SetUpSyncCommand(CLI::App& app, SyncOptions& options) {
  CLI::App* sync = app.add_subcommand("sync", "Upload the local Parquet cache to an S3 bucket");
  sync->add_option("--bucket", options.bucket, "Destination bucket")->required();
  sync->add_option("--prefix", options.prefix, "Key prefix inside the bucket, e.g. production/");
  sync->add_flag("--dry-run,--dryrun", options.dry_run,
                 "Show what would be uploaded or deleted; change nothing");
  sync->add_flag("--delete", options.delete_removed,
                 "Delete remote files that no longer exist in the cache");
  sync->add_option("--cache-path", options.cache_path, "Cache folder to upload")
      ->capture_default_str();
  sync->add_option("--region", options.region, "AWS region of the bucket");
  sync->add_option("--profile", options.profile, "AWS profile from ~/.aws/config");
  sync->add_option("--endpoint-url", options.endpoint_url,
                   "S3-compatible endpoint, e.g. http://127.0.0.1:9000");
  return sync;
}

Status RunSync(const SyncOptions& options) {
  SLACK_INTEL_RETURN_IF_ERROR(s3::ValidateBucketName(options.bucket));
  std::error_code error;
  if (!std::filesystem::is_directory(options.cache_path, error)) {
    return Status::NotFound(fmt::format(
        "Local path does not exist: {} (create it with `slack-intel cache --days 7`, or pass "
        "--cache-path)",
        options.cache_path.string()));
  }
  // TODO(#5): plan and execute the sync.
  return Status::Internal("sync: not implemented yet (issue #5)");
}

}  // namespace slack_intel::cli
