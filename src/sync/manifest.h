#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>

#include "sync/local_files.h"
#include "util/result.h"

namespace slack_intel::sync {

// What sync last learnt about one file (docs/sync.md, "The manifest").
struct ManifestEntry {
  FileStamp stamp;             // the file version the hashes belong to
  std::string md5_hex;         // its content MD5
  std::string multipart_etag;  // the ETag a multipart upload with `part_size` gives; "" if unknown
  uint64_t part_size = 0;
  std::string remote_etag;  // the object's ETag when it was last seen holding this content
  bool operator==(const ManifestEntry&) const = default;
};

// A cache of file hashes, one per endpoint/bucket/prefix, so a file whose stamp has not
// changed since the last run is not read again. Only ever a hint: a missing, stale or corrupt
// manifest costs re-hashing, never a wrong decision. Thread-safe.
class Manifest {
 public:
  // <cache>/.slack-intel/sync/<bucket>-<hash of endpoint, bucket and prefix>.<suffix>
  static std::filesystem::path PathFor(const std::filesystem::path& cache_path,
                                       const std::string& endpoint, const std::string& bucket,
                                       const std::string& prefix, const std::string& suffix);

  // Reads what `path` holds; a missing or unreadable file (logged) leaves it empty: never
  // an error.
  void Load(const std::filesystem::path& path);

  // What was last recorded for `key`, whatever file version it was.
  std::optional<ManifestEntry> Find(const std::string& key) const;
  void Set(const std::string& key, ManifestEntry entry);
  // Keeps only the keys for which `keep` is true.
  void Retain(const std::function<bool(const std::string& key)>& keep);
  size_t size() const;
  // Whether anything changed since Load(): a no-op sync does not rewrite the file.
  bool dirty() const;

  // Atomically (temp file + rename), creating the folder.
  Status Save(const std::filesystem::path& path) const;

 private:
  mutable std::mutex mutex_;  // guards entries_
  std::map<std::string, ManifestEntry> entries_;
  bool dirty_ = false;
};

}  // namespace slack_intel::sync
