#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "store/file_stamp.h"
#include "util/result.h"

namespace slack_intel::store {

// A file a walk found.
struct LocalFile {
  std::string key;  // e.g. "messages/dt=.../data.parquet"
  // Under <root>/<keyed folder>/ (a flag, not a path: millions of paths add up).
  bool in_keyed_folder = false;
  FileStamp stamp;
};

// Names a walk never takes: hidden (".slack-intel", ".x.tmp") and temporary ("*.tmp") files
// and folders.
bool SkippedName(std::string_view name);

// Where a walk remembers the folders it read (store/folder_index.h), so that the next walk
// reads only folders that changed: a folder whose mtime, ctime and inode are what they were is
// known to hold the same entries, and its files are stat'ed without opening it.
struct FolderIndexOptions {
  // Holds folders.<keyed folder> and folders.top; empty: no index.
  std::filesystem::path folder;
  bool update = true;  // write what this walk read (not in a dry run)
  // Folders changed at or after this time (ns since the epoch) are not recorded: an entry
  // added within the same timestamp tick as the walk's read could go unseen. 0: now - 2 s.
  int64_t trust_before_ns = 0;
};

// Streams the files under a folder in key order (bytes, S3's order), holding one folder's
// entries per level rather than the tree: a million partitions cost what one does. Keys: a file
// below <root>/<keyed folder>/ is keyed by its path below that folder, any other file by its
// path from <root> (the cache: raw/<X> -> <X>, users.parquet -> users.parquet); without a keyed
// folder, every file by its path from <root>. Never walked: SkippedName names, symbolic links
// (they could lead outside), sockets, fifos and devices. Each folder is read
// once (getdents) and each file stat'ed relative to its folder's descriptor; with a folder
// index, an unchanged folder costs one stat and is never opened, which brings a no-op sync to
// two system calls per partition.
class LocalWalker {
 public:
  // Errors: kNotFound ("Local path does not exist: <root>"), kIOError.
  static Result<std::unique_ptr<LocalWalker>> Open(const std::filesystem::path& root,
                                                   const std::string& keyed_folder,
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

  std::unique_ptr<SortedTree> keyed_, top_;  // <root>/<keyed folder>/<X> -> X; <root>/<X> -> X
  std::optional<LocalFile> keyed_next_, top_next_;
  std::string keyed_folder_;
};

}  // namespace slack_intel::store
