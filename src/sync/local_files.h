#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "util/result.h"

struct stat;

namespace slack_intel::sync {

// What identifies one version of a file on disk without reading it (git's index uses the same):
// any write changes the mtime or, even when the mtime is set back, the ctime.
struct FileStamp {
  uint64_t size_bytes = 0;
  int64_t mtime_ns = 0;
  int64_t ctime_ns = 0;
  uint64_t inode = 0;
  bool operator==(const FileStamp&) const = default;
};

// A cache file that sync may upload.
struct LocalFile {
  std::string key;      // object key relative to the prefix, e.g. "messages/dt=.../data.parquet"
  bool in_raw = false;  // under cache/raw/ (a flag, not a path: millions of paths add up)
  FileStamp stamp;

  // The path relative to the cache folder, e.g. "raw/messages/dt=.../data.parquet".
  std::string relative() const { return in_raw ? "raw/" + key : key; }
};

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

// Names sync never takes on either side: hidden (".slack-intel", ".x.tmp") and temporary
// ("*.tmp") files and folders.
bool SkippedName(std::string_view name);

FileStamp FileStampOf(const struct stat& st);

// The file's stamp (lstat). Errors: kIOError, kNotFound.
Result<FileStamp> StatFile(const std::filesystem::path& path);

// Whether a .parquet file ends with a plausible footer ("PAR1" at both ends and a footer
// length that fits), so a truncated or half-written file is never uploaded.
bool HasParquetFooter(const std::filesystem::path& path, uint64_t size_bytes);

// OK if `cache_path` is a folder, else kNotFound: "Local path does not exist: <path>", with
// how to make one.
Status CheckCacheFolder(const std::filesystem::path& cache_path);

}  // namespace slack_intel::sync
