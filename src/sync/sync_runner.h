#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

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

// One thing a sync did, or would do (dry run), or failed to do.
struct SyncEvent {
  enum class Kind { kUpload, kDelete, kInvalidFile, kUploadFailed, kDeleteFailed };
  Kind kind = Kind::kUpload;
  bool dry_run = false;
  std::string source;       // the cache path, for uploads and invalid files
  std::string destination;  // "s3://bucket/key"
  uint64_t size_bytes = 0;  // uploads
  std::string error;        // failures

  bool is_failure() const {
    return kind == Kind::kInvalidFile || kind == Kind::kUploadFailed || kind == Kind::kDeleteFailed;
  }
  // As the aws cli prints it: "upload: SRC to DST", "(dryrun) delete: DST", "upload failed: ...".
  std::string ToText() const;
  // "upload", "delete", "invalid_file", "upload_failed", "delete_failed".
  std::string_view KindName() const;
};

// "prod" -> "prod/", "/prod/" -> "prod/", "" -> "".
std::string NormalizePrefix(std::string prefix);

// One sync of the cache to s3://bucket/prefix (docs/sync.md): list both sides, plan, upload
// new and changed files on `concurrency` workers (each with its own connection), and only
// when every upload succeeded, delete what is gone locally (with --delete). Each action and
// each failure is passed to `report` as it happens (calls are serialised here, though they
// come from several threads).
// Errors: "Local path does not exist", "Cannot access S3 bucket ...", refusals of --delete.
// Failed uploads are counted in the summary, not returned as an error.
Result<SyncSummary> RunSync(const SyncSettings& settings, const s3::ClientOptions& options,
                            const std::function<void(const SyncEvent&)>& report);

}  // namespace slack_intel::sync
