#pragma once

#include <filesystem>
#include <string>

#include "util/status.h"

namespace CLI {
class App;
}

namespace slack_intel::cli {

// `slack-intel sync`: the local cache to S3 (../docs and the user's S3_SYNC.md).
struct SyncOptions {
  std::string bucket;                          // --bucket, required
  std::string prefix;                          // --prefix; "" = bucket root
  bool dry_run = false;                        // --dry-run / --dryrun: change nothing anywhere
  bool delete_removed = false;                 // --delete: remove remote files gone locally
  std::filesystem::path cache_path = "cache";  // --cache-path
  std::string region;                          // --region; "" = the AWS chain decides
  std::string profile;                         // --profile; "" = AWS_PROFILE or default
  std::string endpoint_url;                    // --endpoint-url; "" = AWS by region
};

// Registers the `sync` subcommand on `app`, binding its flags to `options`.
// REQUIRES: `options` outlives parsing. Returns the subcommand (owned by `app`).
CLI::App* SetUpSyncCommand(CLI::App& app, SyncOptions& options);

// Runs a sync with already-parsed options. Errors: kNotFound when the cache path is missing
// (the user's document calls it "Local path does not exist"), kInvalidArgument for a bad
// bucket name.
Status RunSync(const SyncOptions& options);

}  // namespace slack_intel::cli
