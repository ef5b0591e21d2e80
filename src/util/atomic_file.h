#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "util/result.h"
#include "util/status.h"

namespace slack_intel {

// Writes `content` to `path` so that readers see the old file or the new one, never a part:
// a hidden temp file in the same folder, flushed to disk, then renamed over `path`. Creates
// the folder. Errors: kIOError naming the path.
Status WriteFileAtomically(const std::filesystem::path& path, std::string_view content);

// The same guarantee for a file written in pieces (say, a manifest of a million lines that
// never sits in memory whole): nothing at `path` changes until Commit(); a writer dropped
// before Commit() removes its temp file.
class AtomicFileWriter {
 public:
  // Creates the folder and the temp file. Errors: kIOError naming the path.
  static Result<AtomicFileWriter> Open(const std::filesystem::path& path);
  AtomicFileWriter(AtomicFileWriter&& other) noexcept;
  AtomicFileWriter& operator=(AtomicFileWriter&&) = delete;
  ~AtomicFileWriter();

  Status Append(std::string_view bytes);  // buffered
  // Flushes, syncs and renames over `path`.
  Status Commit();

 private:
  AtomicFileWriter(std::filesystem::path path, std::filesystem::path temp, int fd);
  Status Flush();
  Status Fail(std::string_view what);

  std::filesystem::path path_, temp_;
  int fd_ = -1;  // -1 once committed or failed
  std::string buffer_;
};

// The temp name WriteFileAtomically and downloads use next to `path`: ".<name>.<tag>.tmp",
// hidden from sync and readers.
std::filesystem::path TempPathFor(const std::filesystem::path& path, std::string_view tag);

}  // namespace slack_intel
