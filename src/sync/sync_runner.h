#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>

#include "s3/client.h"
#include "s3/transfer.h"

namespace slack_intel::sync {

struct SyncSettings {
  std::filesystem::path cache_path;
  std::string bucket;
  std::string prefix;  // "" or ending in '/' (NormalizePrefix)
  bool dry_run = false;
  bool delete_removed = false;
  // Deletes allowed in one run; nullopt = at most half of what is under the prefix.
  std::optional<uint64_t> max_delete;
  int concurrency = 8;  // files in flight at once
  s3::UploadOptions upload;
};

struct SyncSummary {
  uint64_t uploaded = 0;
  uint64_t bytes_uploaded = 0;
  uint64_t skipped = 0;
  uint64_t deleted = 0;
  uint64_t failed = 0;
  double elapsed_seconds = 0;
};

// "prod" -> "prod/", "/prod/" -> "prod/", "" -> "".
std::string NormalizePrefix(std::string prefix);

// One sync of the cache to s3://bucket/prefix (docs/sync.md): list both sides, plan, upload
// new and changed files on `concurrency` workers (each with its own connection), and only
// when every upload succeeded, delete what is gone locally (with --delete). Each action is
// reported through `print` as the aws cli does ("upload: cache/... to s3://...",
// "delete: s3://...", "(dryrun) ..."); failures through `print_error`. Both may be called from
// several threads at once (they are serialised here).
// Errors: "Local path does not exist", "Cannot access S3 bucket ...", refusals of --delete.
// Failed uploads are counted in the summary, not returned as an error.
Result<SyncSummary> RunSync(const SyncSettings& settings, const s3::ClientOptions& options,
                            const std::function<void(const std::string&)>& print,
                            const std::function<void(const std::string&)>& print_error);

}  // namespace slack_intel::sync
