#include "cache/cache_lock.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <system_error>
#include <utility>

#include "util/time_format.h"

namespace slack_intel::cache {
namespace {

std::string ReadAll(int fd) {
  std::string text;
  char buffer[512];
  ssize_t n;
  while ((n = ::pread(fd, buffer, sizeof buffer, static_cast<off_t>(text.size()))) > 0)
    text.append(buffer, static_cast<size_t>(n));
  while (!text.empty() && (text.back() == '\n' || text.back() == '\0')) text.pop_back();
  return text;
}

// ".<name>.<pid>.tmp" or ".<name>.download.tmp": util/atomic_file.h's TempPathFor names.
bool IsPublishTempName(std::string_view name) {
  if (name.size() < 8 || name[0] != '.' || !name.ends_with(".tmp")) return false;
  name.remove_suffix(4);
  const size_t dot = name.rfind('.');
  if (dot == 0 || dot == std::string_view::npos) return false;
  const std::string_view tag = name.substr(dot + 1);
  return tag == "download" || (!tag.empty() && std::all_of(tag.begin(), tag.end(), [](char c) {
           return c >= '0' && c <= '9';
         }));
}

std::string HostName() {
  char host[256] = {};
  if (::gethostname(host, sizeof host - 1) != 0) return "?";
  return host;
}

}  // namespace

Result<CacheLock> CacheLock::Acquire(const std::filesystem::path& cache_path,
                                     std::string_view command) {
  const std::filesystem::path dir = cache_path / ".slack-intel";
  const std::filesystem::path path = dir / "lock";
  std::error_code error;
  std::filesystem::create_directories(dir, error);
  if (error) {
    return Status::IOError(fmt::format("cannot create {}: {}", dir.string(), error.message()));
  }
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) {
    return Status::IOError(
        fmt::format("cannot open the lock {}: {}", path.string(), std::strerror(errno)));
  }
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    const int why = errno;
    const std::string holder = ReadAll(fd);
    ::close(fd);
    if (why != EWOULDBLOCK) {
      return Status::IOError(fmt::format("cannot lock {}: {}", path.string(), std::strerror(why)));
    }
    return Status::FailedPrecondition(fmt::format(
        "another slack-intel run is using the cache {} ({}); wait for it to end",
        cache_path.string(), holder.empty() ? "its record is not written yet" : holder));
  }
  std::string previous = ReadAll(fd);
  const std::string record = fmt::format(
      "pid {} on host {}: slack-intel {}, started {}\n", ::getpid(), HostName(), command,
      FormatUnixMicrosUtc(std::chrono::duration_cast<std::chrono::microseconds>(
                              std::chrono::system_clock::now().time_since_epoch())
                              .count()));
  // The record only feeds messages: the lock is held whether or not it was written.
  if (::ftruncate(fd, 0) != 0 ||
      ::pwrite(fd, record.data(), record.size(), 0) != static_cast<ssize_t>(record.size())) {
  }
  return CacheLock(fd, std::move(previous));
}

CacheLock::CacheLock(CacheLock&& other) noexcept
    : fd_(std::exchange(other.fd_, -1)), taken_over_from_(std::move(other.taken_over_from_)) {}

CacheLock::~CacheLock() {
  if (fd_ < 0) return;
  // A clean end clears the record, so the next run knows nobody died holding the lock (if it
  // cannot, the next run only cleans up for nothing).
  if (::ftruncate(fd_, 0) != 0) {
  }
  ::flock(fd_, LOCK_UN);
  ::close(fd_);
}

int RemoveDeadRunsTempFiles(const std::filesystem::path& cache_path) {
  int removed = 0;
  std::error_code error;
  for (auto it = std::filesystem::recursive_directory_iterator(
           cache_path, std::filesystem::directory_options::skip_permission_denied, error);
       !error && it != std::filesystem::recursive_directory_iterator(); it.increment(error)) {
    const std::string name = it->path().filename().string();
    if (it->is_directory(error) && name == ".slack-intel") {
      it.disable_recursion_pending();  // state of our own, never a published file's temp
      continue;
    }
    if (!it->is_regular_file(error) || it->is_symlink(error) || !IsPublishTempName(name)) continue;
    if (std::filesystem::remove(it->path(), error)) ++removed;
  }
  return removed;
}

}  // namespace slack_intel::cache
