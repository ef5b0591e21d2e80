#pragma once

#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "util/result.h"
#include "util/status.h"

namespace CLI {
class App;
}

namespace slack_intel::cli {

// `slack-intel sync`: the local cache to S3 (or Azure Blob, GCS, a folder), or back with
// --pull (docs/sync.md, docs/clouds.md and the user's S3_SYNC.md).
struct SyncOptions {
  // The destination: --dest URL (s3://, az://, gs://, file:///), else --bucket and --prefix.
  std::string dest;                            // --dest, or sync.dest of the config file
  std::string bucket;                          // --bucket (S3)
  std::string prefix;                          // --prefix; "" = bucket root
  bool dry_run = false;                        // --dry-run / --dryrun: change nothing anywhere
  bool delete_removed = false;                 // --delete: remove remote files gone locally
  std::filesystem::path cache_path = "cache";  // --cache-path
  std::string region;                          // --region; "" = the AWS chain decides
  std::string profile;                         // --profile; "" = AWS_PROFILE or default
  std::string endpoint_url;                    // --endpoint-url; "" = AWS by region
  bool no_verify_ssl = false;                  // --no-verify-ssl: TLS certificates unchecked
  int concurrency = 8;                         // --concurrency: files in flight
  std::string max_delete;                      // --max-delete N; "" = half of the remote objects
  std::string multipart_threshold = "8MB";     // --multipart-threshold
  std::string multipart_chunksize = "8MB";     // --multipart-chunksize
  std::string sse;                             // --sse AES256|aws:kms
  std::string sse_kms_key_id;                  // --sse-kms-key-id (with --sse aws:kms)
  std::string storage_class;                   // --storage-class STANDARD|INTELLIGENT_TIERING|...
  bool pull = false;                           // --pull: bucket -> cache instead
  std::string compare = "content";             // --compare content|mtime|size
  // --exclude / --include globs in command-line order: {true, p} includes, {false, p} excludes.
  std::vector<std::pair<bool, std::string>> filters;
  bool no_progress = false;  // --no-progress
  bool json = false;         // --json: one JSON object per line on stdout
  bool quiet = false;        // the global --quiet: no per-file lines, no summary
};

// "8MB", "16MiB", "5242880", "1GB" -> bytes (KB/MB/GB are powers of 1024, as in the aws cli).
// Errors: kInvalidArgument.
Result<uint64_t> ParseByteSize(const std::string& text);

// Registers the `sync` subcommand on `app`, binding its flags to `options`.
// REQUIRES: `options` outlives parsing. Returns the subcommand (owned by `app`).
CLI::App* SetUpSyncCommand(CLI::App& app, SyncOptions& options);

// Runs a sync with already-parsed options, printing aws-style lines and a summary to stdout.
// Errors: kNotFound when the cache path is missing ("Local path does not exist"),
// kInvalidArgument for no destination, a bad bucket name, URL or flag, "Cannot access S3 bucket
// ..." (or Azure container) when listing fails, and a failure when any upload or delete failed.
Status RunSync(const SyncOptions& options);

}  // namespace slack_intel::cli
