#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "store/file_stamp.h"
#include "util/atomic_file.h"
#include "util/result.h"
#include "util/sorted_records.h"

namespace slack_intel::sync {

// What sync last learnt about one file (docs/sync.md, "The manifest").
struct ManifestEntry {
  store::FileStamp stamp;      // the file version the hashes belong to
  std::string md5_hex;         // its content MD5
  std::string multipart_etag;  // the ETag a multipart upload with `part_size` gives; "" if unknown
  uint64_t part_size = 0;
  std::string remote_etag;  // the object's ETag when it was last seen holding this content

  bool operator==(const ManifestEntry&) const = default;
};

// <cache>/.slack-intel/sync/<bucket>-<hash of endpoint, bucket and prefix>.<suffix>: one
// manifest (and multipart journal) per destination.
std::filesystem::path SyncStatePath(const std::filesystem::path& cache_path,
                                    const std::string& endpoint, const std::string& bucket,
                                    const std::string& prefix, const std::string& suffix);

// Reads a manifest front to back while sync walks the keys in the same order, so it never
// sits in memory whole. Only ever a hint: a missing, foreign or damaged file (logged) reads as
// empty from the damage on, which costs re-hashing, never a wrong decision.
class ManifestReader : public SortedRecordReader<ManifestEntry> {
 public:
  explicit ManifestReader(const std::filesystem::path& path,
                          DamageReport report = DamageReport::kLog);

  // Every `every`-th key of the manifest at `path` (the `every`-th, the 2 x `every`-th, ...):
  // where a parallel listing can cut the key space. Empty without a manifest.
  static std::vector<std::string> SampleKeys(const std::filesystem::path& path, size_t every);
};

// While a sync that uploads runs, its manifest is marked unfinished (`<manifest>.unfinished`).
// A run killed, or stopped by an error, before it wrote its manifest leaves the mark, so the
// next run knows the bucket may hold files the manifest lacks. MarkManifestUnfinished says
// whether the last run left it.
bool MarkManifestUnfinished(const std::filesystem::path& manifest);
void ClearManifestUnfinished(const std::filesystem::path& manifest);

// Writes a manifest in ascending key order, only from its first change on (RecordFileWriter).
class ManifestWriter {
 public:
  explicit ManifestWriter(const std::filesystem::path& path);
  // `unchanged`: the entry the manifest holds for `key`, read back in order.
  Status Add(bool unchanged, std::string_view key, const ManifestEntry& entry);
  Status Diverge() { return file_.Diverge(); }  // an entry removed
  bool changed() const { return file_.changed(); }
  Status Commit() { return file_.Commit(); }  // otherwise dropping the writer discards it

 private:
  RecordFileWriter file_;
};

}  // namespace slack_intel::sync
