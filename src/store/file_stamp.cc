#include "store/file_stamp.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <string>

namespace slack_intel::store {

FileStamp FileStampOf(const struct stat& st) {
  return {static_cast<uint64_t>(st.st_size),
          static_cast<int64_t>(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec,
          static_cast<int64_t>(st.st_ctim.tv_sec) * 1'000'000'000 + st.st_ctim.tv_nsec,
          static_cast<uint64_t>(st.st_ino)};
}

void SetFileMtime(const std::filesystem::path& path, int64_t mtime_ns) {
  if (mtime_ns == INT64_MIN) return;
  const struct timespec times[2] = {
      {0, UTIME_OMIT},
      {static_cast<time_t>(mtime_ns / 1'000'000'000), static_cast<long>(mtime_ns % 1'000'000'000)}};
  ::utimensat(AT_FDCWD, path.c_str(), times, 0);
}

Result<FileStamp> StatFile(const std::filesystem::path& path) {
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0) {
    const int error = errno;
    const std::string message =
        fmt::format("cannot stat {}: {}", path.string(), std::strerror(error));
    return error == ENOENT ? Status::NotFound(message) : Status::IOError(message);
  }
  return FileStampOf(st);
}

}  // namespace slack_intel::store
