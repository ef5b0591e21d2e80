#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "util/result.h"

namespace slack_intel::sync {

// A cache file that sync may upload.
struct LocalFile {
  std::string key;  // object key relative to the prefix, e.g. "messages/dt=.../data.parquet"
  std::filesystem::path path;  // absolute path on disk
  std::string display_path;    // as the user names it: "cache/raw/messages/..."
  uint64_t size_bytes = 0;
};

// The files under `cache_path` that belong in the bucket, sorted by key bytes (S3's order),
// mapped as the user guide shows: cache/raw/<X> -> <X>, any other file <name> -> <name>.
// Never listed: hidden files and folders (".state", ".x.tmp"), temporary files ("*.tmp"),
// and symbolic links (which could point outside the cache). Errors: kNotFound ("Local path does not
// exist"), kIOError.
Result<std::vector<LocalFile>> ListCacheFiles(const std::filesystem::path& cache_path);

// Whether a .parquet file ends with a plausible footer ("PAR1" at both ends and a footer
// length that fits), so a truncated or half-written file is never uploaded.
bool HasParquetFooter(const std::filesystem::path& path, uint64_t size_bytes);

}  // namespace slack_intel::sync
