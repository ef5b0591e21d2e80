#include "util/atomic_file.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <system_error>
#include <utility>

namespace slack_intel {
namespace {

constexpr size_t kBufferBytes = 64 << 10;

}  // namespace

std::filesystem::path TempPathFor(const std::filesystem::path& path, std::string_view tag) {
  return path.parent_path() / fmt::format(".{}.{}.tmp", path.filename().string(), tag);
}

Result<AtomicFileWriter> AtomicFileWriter::Open(const std::filesystem::path& path,
                                                Durability durability) {
  std::error_code error;
  if (path.has_parent_path()) std::filesystem::create_directories(path.parent_path(), error);
  if (error) {
    return Status::IOError(
        fmt::format("cannot create {}: {}", path.parent_path().string(), error.message()));
  }
  std::filesystem::path temp = TempPathFor(path, std::to_string(::getpid()));
  const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) {
    return Status::IOError(fmt::format("cannot write {}: {}", path.string(), std::strerror(errno)));
  }
  return AtomicFileWriter(path, std::move(temp), fd, durability);
}

AtomicFileWriter::AtomicFileWriter(std::filesystem::path path, std::filesystem::path temp, int fd,
                                   Durability durability)
    : path_(std::move(path)), temp_(std::move(temp)), durability_(durability), fd_(fd) {}

AtomicFileWriter::AtomicFileWriter(AtomicFileWriter&& other) noexcept
    : path_(std::move(other.path_)),
      temp_(std::move(other.temp_)),
      durability_(other.durability_),
      fd_(std::exchange(other.fd_, -1)),
      temp_exists_(std::exchange(other.temp_exists_, false)),
      buffer_(std::move(other.buffer_)) {}

AtomicFileWriter::~AtomicFileWriter() {
  if (fd_ >= 0) ::close(fd_);
  if (temp_exists_) ::unlink(temp_.c_str());
}

Status AtomicFileWriter::Fail(std::string_view what) {
  const int code = errno;
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
  ::unlink(temp_.c_str());
  temp_exists_ = false;
  return Status::IOError(
      fmt::format("cannot {} {}: {}", what, path_.string(), std::strerror(code)));
}

Status AtomicFileWriter::Flush() {
  size_t written = 0;
  while (written < buffer_.size()) {
    const ssize_t n = ::write(fd_, buffer_.data() + written, buffer_.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return Fail("write");
    written += static_cast<size_t>(n);
  }
  buffer_.clear();
  return Status::OK();
}

Status AtomicFileWriter::Append(std::string_view bytes) {
  if (fd_ < 0) return Status::IOError(fmt::format("cannot write {}: closed", path_.string()));
  if (buffer_.capacity() < kBufferBytes) buffer_.reserve(kBufferBytes);  // once, not by doubling
  buffer_.append(bytes);
  return buffer_.size() >= kBufferBytes ? Flush() : Status::OK();
}

Status AtomicFileWriter::Commit() {
  if (fd_ < 0) return Status::IOError(fmt::format("cannot write {}: closed", path_.string()));
  SLACK_INTEL_RETURN_IF_ERROR(Flush());
  if (durability_ == Durability::kFlushed && ::fsync(fd_) != 0) return Fail("flush");
  const int fd = std::exchange(fd_, -1);
  if (::close(fd) != 0) return Fail("write");
  if (::rename(temp_.c_str(), path_.c_str()) != 0) return Fail("replace");
  temp_exists_ = false;
  return Status::OK();
}

Status AtomicFileWriter::Close(int* device_fd) {
  if (fd_ < 0) return Status::IOError(fmt::format("cannot write {}: closed", path_.string()));
  SLACK_INTEL_RETURN_IF_ERROR(Flush());
  if (device_fd != nullptr && (*device_fd = ::dup(fd_)) < 0) return Fail("write");
  const int fd = std::exchange(fd_, -1);
  if (::close(fd) != 0) return Fail("write");
  return Status::OK();
}

Status AtomicFileWriter::Rename() {
  if (!temp_exists_) return Status::IOError(fmt::format("cannot write {}: gone", path_.string()));
  if (::rename(temp_.c_str(), path_.c_str()) != 0) return Fail("replace");
  temp_exists_ = false;
  return Status::OK();
}

AtomicFileBatch::~AtomicFileBatch() {
  for (const auto& [device, fd] : devices_) ::close(fd);
}

Status AtomicFileBatch::Add(const std::filesystem::path& path, std::string_view content) {
  SLACK_INTEL_ASSIGN_OR_RETURN(AtomicFileWriter file, AtomicFileWriter::Open(path));
  SLACK_INTEL_RETURN_IF_ERROR(file.Append(content));
  struct stat st {};
  if (::fstat(file.fd_, &st) != 0) return file.Fail("write");
  const bool known = std::any_of(devices_.begin(), devices_.end(),
                                 [&](const auto& d) { return d.first == st.st_dev; });
  int device_fd = -1;
  SLACK_INTEL_RETURN_IF_ERROR(file.Close(known ? nullptr : &device_fd));
  if (!known) devices_.emplace_back(st.st_dev, device_fd);
  files_.push_back(std::move(file));
  return Status::OK();
}

Status AtomicFileBatch::Commit() {
  for (const auto& [device, fd] : devices_) {
    if (::syncfs(fd) != 0) {
      return Status::IOError(
          fmt::format("cannot flush {} file(s) to disk: {}", files_.size(), std::strerror(errno)));
    }
  }
  for (AtomicFileWriter& file : files_) SLACK_INTEL_RETURN_IF_ERROR(file.Rename());
  files_.clear();
  for (const auto& [device, fd] : devices_) ::close(fd);
  devices_.clear();
  return Status::OK();
}

Status WriteFileAtomically(const std::filesystem::path& path, std::string_view content) {
  SLACK_INTEL_ASSIGN_OR_RETURN(AtomicFileWriter writer, AtomicFileWriter::Open(path));
  SLACK_INTEL_RETURN_IF_ERROR(writer.Append(content));
  return writer.Commit();
}

}  // namespace slack_intel
