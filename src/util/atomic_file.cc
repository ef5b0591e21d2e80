#include "util/atomic_file.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <system_error>

namespace slack_intel {

std::filesystem::path TempPathFor(const std::filesystem::path& path, std::string_view tag) {
  return path.parent_path() / fmt::format(".{}.{}.tmp", path.filename().string(), tag);
}

Status WriteFileAtomically(const std::filesystem::path& path, std::string_view content) {
  std::error_code error;
  if (path.has_parent_path()) std::filesystem::create_directories(path.parent_path(), error);
  if (error) {
    return Status::IOError(
        fmt::format("cannot create {}: {}", path.parent_path().string(), error.message()));
  }
  const std::filesystem::path temp = TempPathFor(path, std::to_string(::getpid()));
  auto fail = [&](std::string_view what) {
    const int code = errno;
    ::unlink(temp.c_str());
    return Status::IOError(
        fmt::format("cannot {} {}: {}", what, path.string(), std::strerror(code)));
  };
  const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return fail("write");
  size_t written = 0;
  while (written < content.size()) {
    const ssize_t n = ::write(fd, content.data() + written, content.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      ::close(fd);
      return fail("write");
    }
    written += static_cast<size_t>(n);
  }
  if (::fsync(fd) != 0) {
    ::close(fd);
    return fail("flush");
  }
  if (::close(fd) != 0) return fail("write");
  if (::rename(temp.c_str(), path.c_str()) != 0) return fail("replace");
  return Status::OK();
}

}  // namespace slack_intel
