#pragma once

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include "util/result.h"
#include "util/status.h"

namespace slack_intel {

// Where a writer puts bytes, in order. Not thread-safe.
class OutputStream {
 public:
  virtual ~OutputStream() = default;
  // Appends `data`. Errors: kIOError.
  virtual Status Write(std::string_view data) = 0;
  // Bytes written so far.
  virtual uint64_t position() const = 0;
};

// Collects everything in memory: for tests and for building small files before publishing.
class StringOutputStream final : public OutputStream {
 public:
  Status Write(std::string_view data) override {
    buffer_.append(data);
    return Status::OK();
  }
  uint64_t position() const override { return buffer_.size(); }
  const std::string& buffer() const { return buffer_; }
  std::string Release() { return std::move(buffer_); }

 private:
  std::string buffer_;
};

// Writes a local file (created or truncated), buffered. Close() flushes and reports the error
// a plain destructor would lose; the destructor closes without reporting.
class FileOutputStream final : public OutputStream {
 public:
  // Errors: kIOError naming the path.
  static Result<std::unique_ptr<FileOutputStream>> Open(const std::filesystem::path& path);
  ~FileOutputStream() override;

  Status Write(std::string_view data) override;
  uint64_t position() const override { return position_; }
  // Flushes, fsyncs and closes. Errors: kIOError.
  Status Close();

 private:
  FileOutputStream(std::FILE* file, std::filesystem::path path)
      : file_(file), path_(std::move(path)) {}

  std::FILE* file_;
  std::filesystem::path path_;
  uint64_t position_ = 0;
};

}  // namespace slack_intel
