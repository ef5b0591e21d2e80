#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "sync/local_files.h"
#include "util/result.h"

namespace slack_intel::sync {

// Streams the files ListCacheFiles describes, in key order, holding one folder's entries per
// level rather than the tree: a million partitions cost what one does. Each folder is read
// once (getdents) and each file stat'ed relative to its folder's descriptor, which keeps a
// no-op sync's system calls near two per partition.
class LocalWalker {
 public:
  // Errors: kNotFound ("Local path does not exist"), kIOError.
  static Result<std::unique_ptr<LocalWalker>> Open(const std::filesystem::path& cache_path);
  ~LocalWalker();

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
