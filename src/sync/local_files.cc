#include "sync/local_files.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <system_error>

namespace slack_intel::sync {
Result<std::vector<LocalFile>> ListCacheFiles(const std::filesystem::path& cache_path) {
  SLACK_INTEL_RETURN_IF_ERROR(CheckCacheFolder(cache_path));
  SLACK_INTEL_ASSIGN_OR_RETURN(std::unique_ptr<store::LocalWalker> walker,
                               store::LocalWalker::Open(cache_path, kRawFolder));
  std::vector<LocalFile> files;
  while (true) {
    SLACK_INTEL_ASSIGN_OR_RETURN(std::optional<LocalFile> file, walker->Next());
    if (!file) return files;
    files.push_back(std::move(*file));
  }
}

Result<std::string> CacheRelativePathForKey(std::string_view key) {
  constexpr size_t kMaxNameBytes = 255;  // NAME_MAX of Linux file systems
  auto refuse = [&](std::string_view why) -> Status {
    return Status::InvalidArgument(fmt::format("refusing to download key '{}': {}", key, why));
  };
  if (key.empty() || key.starts_with("/")) return refuse("an absolute path");
  if (key.find('\\') != std::string_view::npos) return refuse("it contains a backslash");
  if (key.find('\0') != std::string_view::npos) return refuse("it contains a NUL byte");
  // The cache escapes control bytes in names (Hive's escaping): no cache file has one.
  if (std::any_of(key.begin(), key.end(), [](char c) { return (c >= 0 && c < 0x20) || c == 0x7F; }))
    return refuse("it contains a control character");
  size_t start = 0;
  while (true) {
    const size_t slash = key.find('/', start);
    const std::string_view segment =
        key.substr(start, slash == std::string_view::npos ? key.npos : slash - start);
    if (segment.empty() || segment == "." || segment == "..")
      return refuse("an empty, '.' or '..' path segment");
    if (segment.size() > kMaxNameBytes) return refuse("a name longer than 255 bytes");
    if (SkippedName(segment)) return refuse("a hidden or temporary name, which sync never writes");
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
  const bool nested = key.find('/') != std::string_view::npos;
  return nested ? std::string(kRawFolder) + "/" + std::string(key) : std::string(key);
}

bool HasParquetFooter(const std::filesystem::path& path, uint64_t size_bytes) {
  if (size_bytes < 12) return false;
  // Two small reads: a stream would read 8 KiB to get the first 4 bytes, for every file of a
  // first upload.
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  char head[4], tail[8];
  const bool read =
      ::pread(fd, head, 4, 0) == 4 && ::pread(fd, tail, 8, static_cast<off_t>(size_bytes - 8)) == 8;
  ::close(fd);
  if (!read) return false;
  uint32_t footer_length;
  std::memcpy(&footer_length, tail, 4);
  return std::memcmp(head, "PAR1", 4) == 0 && std::memcmp(tail + 4, "PAR1", 4) == 0 &&
         footer_length > 0 && footer_length <= size_bytes - 12;
}

Status CheckCacheFolder(const std::filesystem::path& cache_path) {
  std::error_code error;
  if (std::filesystem::is_directory(cache_path, error)) return Status::OK();
  return Status::NotFound(fmt::format(
      "Local path does not exist: {} (create it with `slack-intel cache --days 7`, or pass "
      "--cache-path)",
      cache_path.string()));
}

}  // namespace slack_intel::sync
