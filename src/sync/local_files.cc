#include "sync/local_files.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <cstring>
#include <system_error>

namespace slack_intel::sync {

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
