#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sync/sorted_records.h"
#include "util/atomic_file.h"
#include "util/result.h"

struct stat;

namespace slack_intel::sync {

// What identifies one state of a folder's list of entries: creating, removing or renaming an
// entry changes the folder's mtime and ctime (git's untracked cache relies on the same).
struct FolderStamp {
  int64_t mtime_ns = 0;
  int64_t ctime_ns = 0;
  uint64_t inode = 0;
  bool operator==(const FolderStamp&) const = default;
};

FolderStamp FolderStampOf(const struct stat& st);

struct FolderEntry {
  std::string name;
  bool is_folder = false;
  bool operator==(const FolderEntry&) const = default;
};

// One folder as the last walk read it.
struct FolderRecord {
  std::string path;  // relative to the walked root, ending in '/': "messages/dt=2025-10-21/"
  FolderStamp stamp;
  std::vector<FolderEntry> entries;  // in walk order
  bool operator==(const FolderRecord&) const = default;
};

// Reads a folder index front to back while a walk visits folders in the same order (the byte
// order of their paths). Only ever a hint: a missing or damaged file (logged) reads as empty
// from the damage on, which costs reading folders again, never a missed file.
class FolderIndexReader : public SortedRecordReader<FolderRecord> {
 public:
  explicit FolderIndexReader(const std::filesystem::path& path);
};

// Writes a folder index in ascending path order through an AtomicFileWriter.
class FolderIndexWriter {
 public:
  static Result<FolderIndexWriter> Open(const std::filesystem::path& path);
  Status Add(const FolderRecord& record);
  Status Commit() { return file_.Commit(); }  // otherwise dropping the writer discards it

 private:
  explicit FolderIndexWriter(AtomicFileWriter file) : file_(std::move(file)) {}
  AtomicFileWriter file_;
  std::string line_;
};

}  // namespace slack_intel::sync
