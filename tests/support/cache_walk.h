#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "cache/layout.h"
#include "store/local_walker.h"
#include "util/result.h"

namespace slack_intel::testing {

// Every file sync sees in a cache folder, in key order: the walk LocalDirStore lists, with
// the cache's raw/ mapping and no folder index.
inline Result<std::vector<store::LocalFile>> ListCacheFiles(const std::filesystem::path& cache) {
  SLACK_INTEL_ASSIGN_OR_RETURN(std::unique_ptr<store::LocalWalker> walker,
                               store::LocalWalker::Open(cache, cache::kRawFolder));
  std::vector<store::LocalFile> files;
  while (true) {
    SLACK_INTEL_ASSIGN_OR_RETURN(std::optional<store::LocalFile> file, walker->Next());
    if (!file) return files;
    files.push_back(std::move(*file));
  }
}

// A walked file's path relative to the cache folder, e.g. "raw/messages/...".
inline std::string CacheRelativePath(const store::LocalFile& file) {
  return file.in_keyed_folder ? std::string(cache::kRawFolder) + "/" + file.key : file.key;
}

}  // namespace slack_intel::testing
