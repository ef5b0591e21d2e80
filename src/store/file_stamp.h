#pragma once

#include <cstdint>
#include <filesystem>

#include "util/result.h"

struct stat;

namespace slack_intel::store {

// What identifies one version of a file on disk without reading it (git's index uses the same):
// any write changes the mtime or, even when the mtime is set back, the ctime.
struct FileStamp {
  uint64_t size_bytes = 0;
  int64_t mtime_ns = 0;
  int64_t ctime_ns = 0;
  uint64_t inode = 0;
  bool operator==(const FileStamp&) const = default;
};

FileStamp FileStampOf(const struct stat& st);

// Sets the file's mtime (ns since the epoch; INT64_MIN, kUnknownTime: left as it is), as aws s3
// sync gives a downloaded file its object's time. Best effort: a failure leaves the time.
void SetFileMtime(const std::filesystem::path& path, int64_t mtime_ns);

// The file's stamp (lstat). Errors: kNotFound, kIOError.
Result<FileStamp> StatFile(const std::filesystem::path& path);

}  // namespace slack_intel::store
