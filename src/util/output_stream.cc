#include "util/output_stream.h"

#include <fmt/format.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace slack_intel {
namespace {

Status IoError(std::string_view what, const std::filesystem::path& path, int error) {
  return Status::IOError(fmt::format("{} {}: {}", what, path.string(), std::strerror(error)));
}

}  // namespace

Result<std::unique_ptr<FileOutputStream>> FileOutputStream::Open(
    const std::filesystem::path& path) {
  std::FILE* file = std::fopen(path.c_str(), "wb");
  if (file == nullptr) return IoError("cannot create", path, errno);
  return std::unique_ptr<FileOutputStream>(new FileOutputStream(file, path));
}

FileOutputStream::~FileOutputStream() {
  if (file_ != nullptr) std::fclose(file_);
}

Status FileOutputStream::Write(std::string_view data) {
  if (file_ == nullptr)
    return Status::IOError(fmt::format("write {}: already closed", path_.string()));
  if (std::fwrite(data.data(), 1, data.size(), file_) != data.size()) {
    return IoError("cannot write", path_, errno);
  }
  position_ += data.size();
  return Status::OK();
}

Status FileOutputStream::Close() {
  if (file_ == nullptr) return Status::OK();
  std::FILE* file = file_;
  file_ = nullptr;
  // fsync before the caller renames the file into place, so a crash cannot publish a file
  // whose bytes never reached the disk.
  const bool flushed = std::fflush(file) == 0 && fsync(fileno(file)) == 0;
  const int flush_error = errno;
  const bool closed = std::fclose(file) == 0;
  if (!flushed) return IoError("cannot flush", path_, flush_error);
  if (!closed) return IoError("cannot close", path_, errno);
  return Status::OK();
}

}  // namespace slack_intel
