#include "sync/sync_event.h"

#include <fmt/format.h>

namespace slack_intel::sync {

bool SyncEvent::is_failure() const {
  return kind != Kind::kUpload && kind != Kind::kDownload && kind != Kind::kDelete;
}

std::string_view SyncEvent::KindName() const {
  switch (kind) {
    case Kind::kUpload:
      return "upload";
    case Kind::kDownload:
      return "download";
    case Kind::kDelete:
      return "delete";
    case Kind::kInvalidFile:
      return "invalid_file";
    case Kind::kInvalidKey:
      return "invalid_key";
    case Kind::kUploadFailed:
      return "upload_failed";
    case Kind::kDownloadFailed:
      return "download_failed";
    case Kind::kDeleteFailed:
      return "delete_failed";
  }
  return "unknown";
}

std::string SyncEvent::ToText() const {
  const std::string dry = dry_run ? "(dryrun) " : "";
  switch (kind) {
    case Kind::kUpload:
    case Kind::kDownload:
      return fmt::format("{}{}: {} to {}", dry, KindName(), source, destination);
    case Kind::kDelete:
      return fmt::format("{}delete: {}", dry, destination);
    case Kind::kInvalidFile:
      return fmt::format(
          "skip: {} is not a complete Parquet file (truncated or still being written)", source);
    case Kind::kInvalidKey:
      return fmt::format("skip: {}: {}", source, error);
    case Kind::kUploadFailed:
      return fmt::format("upload failed: {} to {}: {}", source, destination, error);
    case Kind::kDownloadFailed:
      return fmt::format("download failed: {} to {}: {}", source, destination, error);
    case Kind::kDeleteFailed:
      return fmt::format("delete failed: {}: {}", destination, error);
  }
  return "";
}

}  // namespace slack_intel::sync
