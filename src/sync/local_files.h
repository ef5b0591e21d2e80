#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "store/file_stamp.h"
#include "store/local_walker.h"
#include "util/result.h"

namespace slack_intel::sync {

using store::FileStamp;
using store::FileStampOf;
using store::LocalFile;
using store::SkippedName;
using store::StatFile;

// The cache's folder whose files map to the bucket's root: raw/<X> <-> <X>.
inline constexpr char kRawFolder[] = "raw";

// The path of a walked cache file relative to the cache folder, e.g. "raw/messages/...".
inline std::string CacheRelativePath(const LocalFile& file) {
  return file.in_keyed_folder ? std::string(kRawFolder) + "/" + file.key : file.key;
}

// The files under `cache_path` that belong in the bucket, sorted by key bytes (S3's order),
// mapped as the user guide shows: cache/raw/<X> -> <X>, any other file <name> -> <name>.
// Never listed: hidden files and folders (".slack-intel", ".x.tmp"), temporary files ("*.tmp"),
// and symbolic links (which could point outside the cache). Errors: kNotFound ("Local path does
// not exist"), kIOError, kInvalidArgument (two files for one key).
Result<std::vector<LocalFile>> ListCacheFiles(const std::filesystem::path& cache_path);

// The inverse mapping, for downloads: "<X/Y>" -> "raw/<X/Y>", "<name>" -> "<name>". Refuses
// (kInvalidArgument, naming the key) any key that could write outside the cache or into its
// state, or that no cache file has: absolute, with backslashes, NUL or control bytes, "", "."
// or ".." segments, names over 255 bytes, hidden or temporary names.
Result<std::string> CacheRelativePathForKey(std::string_view key);

// Whether a .parquet file ends with a plausible footer ("PAR1" at both ends and a footer
// length that fits), so a truncated or half-written file is never uploaded.
bool HasParquetFooter(const std::filesystem::path& path, uint64_t size_bytes);

// OK if `cache_path` is a folder, else kNotFound: "Local path does not exist: <path>", with
// how to make one.
Status CheckCacheFolder(const std::filesystem::path& cache_path);

}  // namespace slack_intel::sync
