#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "sync/local_files.h"
#include "util/result.h"

namespace slack_intel::sync {

// Where a walk remembers the folders it read (sync/folder_index.h), so that the next walk
// reads only folders that changed: a folder whose mtime, ctime and inode are what they were is
// known to hold the same entries, and its files are stat'ed without opening it.
struct FolderIndexOptions {
  std::filesystem::path folder;  // holds folders.raw and folders.top; empty: no index
  bool update = true;            // write what this walk read (not in a dry run)
  // Folders changed at or after this time (ns since the epoch) are not recorded: an entry
  // added within the same timestamp tick as the walk's read could go unseen. 0: now - 2 s.
  int64_t trust_before_ns = 0;
};

// Streams the files ListCacheFiles describes, in key order, holding one folder's entries per
// level rather than the tree: a million partitions cost what one does. Each folder is read
// once (getdents) and each file stat'ed relative to its folder's descriptor; with a folder
// index, an unchanged folder costs one stat and is never opened, which brings a no-op sync to
// two system calls per partition.
class LocalWalker {
 public:
  // Errors: kNotFound ("Local path does not exist"), kIOError.
  static Result<std::unique_ptr<LocalWalker>> Open(const std::filesystem::path& cache_path,
                                                   const FolderIndexOptions& index = {});
  ~LocalWalker();

  // Folders whose entries were read from disk, and those taken from the folder index.
  uint64_t folders_read() const;
  uint64_t folders_reused() const;

  // The next file by key bytes, nullopt after the last. Errors: kIOError,
  // kInvalidArgument (two files for one key: raw/users.parquet and users.parquet).
  Result<std::optional<LocalFile>> Next();

 private:
  class SortedTree;
  LocalWalker() = default;
  Status Fill(SortedTree& tree, std::optional<LocalFile>& slot);

  std::unique_ptr<SortedTree> raw_, top_;  // cache/raw/<X> -> X; cache/<X> -> X
  std::optional<LocalFile> raw_next_, top_next_;
};

}  // namespace slack_intel::sync
