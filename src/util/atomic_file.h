#pragma once

#include <sys/types.h>

#include <filesystem>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

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
  // How far Commit() goes to keep the new version across a crash.
  enum class Durability {
    kFlushed,  // flushed to disk before the rename: a crash leaves the old file or the new one
    // Not flushed: a crash can leave the old version, or the new one damaged. For files that
    // are only hints to their readers (sync's state), where a flush costs more than it saves.
    kHint,
  };
  // Creates the folder and the temp file. Errors: kIOError naming the path.
  static Result<AtomicFileWriter> Open(const std::filesystem::path& path,
                                       Durability durability = Durability::kFlushed);
  AtomicFileWriter(AtomicFileWriter&& other) noexcept;
  AtomicFileWriter& operator=(AtomicFileWriter&&) = delete;
  ~AtomicFileWriter();

  Status Append(std::string_view bytes);  // buffered
  // Writes out, flushes to disk (kFlushed) and renames over `path`.
  Status Commit();

 private:
  friend class AtomicFileBatch;
  AtomicFileWriter(std::filesystem::path path, std::filesystem::path temp, int fd,
                   Durability durability);
  Status Flush();
  Status Fail(std::string_view what);
  // Commit() in two steps, for a batch made durable by one syncfs in between. Close()
  // writes and closes the temp file (`device_fd`, if not null, receives a duplicate
  // descriptor first: something to syncfs); Rename() moves it over `path`.
  Status Close(int* device_fd);
  Status Rename();

  std::filesystem::path path_, temp_;
  Durability durability_ = Durability::kFlushed;
  int fd_ = -1;              // -1 once closed, committed or failed
  bool temp_exists_ = true;  // until renamed or removed
  std::string buffer_;
};

// Many files replaced with one flush to disk instead of one per file: each is written to its
// temp file when added, and Commit() makes them all durable at once (syncfs on their
// filesystem) before renaming them into place in the order added. Until then readers see the
// old files; a batch dropped before Commit() removes its temp files.
class AtomicFileBatch {
 public:
  AtomicFileBatch() = default;
  AtomicFileBatch(const AtomicFileBatch&) = delete;
  AtomicFileBatch& operator=(const AtomicFileBatch&) = delete;
  ~AtomicFileBatch();

  // Errors: kIOError naming the path.
  Status Add(const std::filesystem::path& path, std::string_view content);
  Status Commit();

 private:
  std::vector<AtomicFileWriter> files_;
  std::vector<std::pair<dev_t, int>> devices_;  // one open descriptor per filesystem
};

// The temp name WriteFileAtomically and downloads use next to `path`: ".<name>.<tag>.tmp",
// hidden from sync and readers.
std::filesystem::path TempPathFor(const std::filesystem::path& path, std::string_view tag);

}  // namespace slack_intel
