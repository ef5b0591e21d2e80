#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "util/atomic_file.h"
#include "util/result.h"
#include "util/sorted_records.h"

struct stat;

namespace slack_intel::store {

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

// One folder as the last walk read it. Its key in the index is its path relative to the
// walked root, ending in '/': "messages/dt=2025-10-21/".
struct FolderRecord {
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

// Writes a folder index in ascending path order, only from its first change on
// (RecordFileWriter).
class FolderIndexWriter {
 public:
  explicit FolderIndexWriter(const std::filesystem::path& path);
  // `unchanged`: the record the index holds for its folder, read back in order.
  Status Add(bool unchanged, std::string_view path, const FolderStamp& stamp,
             const std::vector<FolderEntry>& entries);
  Status Diverge() { return file_.Diverge(); }  // a folder removed
  bool changed() const { return file_.changed(); }
  Status Commit() { return file_.Commit(); }  // otherwise dropping the writer discards it

 private:
  RecordFileWriter file_;
};

}  // namespace slack_intel::store
