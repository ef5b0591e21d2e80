#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace slack_intel::sync {

// One thing a sync did, or would do (dry run), or failed to do.
struct SyncEvent {
  enum class Kind {
    kUpload,
    kDownload,
    kDelete,
    kInvalidFile,  // a .parquet file without a footer: not uploaded
    kInvalidKey,   // a key that would land outside the cache: not downloaded
    kUploadFailed,
    kDownloadFailed,
    kDeleteFailed,
  };
  Kind kind = Kind::kUpload;
  bool dry_run = false;
  std::string source;       // where the bytes come from: a cache path or "s3://bucket/key"
  std::string destination;  // where they go, or what is deleted
  uint64_t size_bytes = 0;  // transfers
  std::string error;        // failures

  bool is_failure() const;
  // As the aws cli prints it: "upload: SRC to DST", "(dryrun) delete: DST", "upload failed: ...".
  std::string ToText() const;
  // "upload", "download", "delete", "invalid_file", "invalid_key", "upload_failed", ...
  std::string_view KindName() const;
};

}  // namespace slack_intel::sync
