#pragma once

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>

#include "store/object_store.h"
#include "sync/key_filter.h"
#include "sync/plan.h"
#include "sync/sync_event.h"
#include "util/result.h"

namespace slack_intel::sync {

// Where sync keeps what it learnt between runs, for one pair of cache and bucket (the CLI
// names them with SyncStatePath).
struct SyncStatePaths {
  std::filesystem::path manifest;  // the files' hashes and the objects' ETags (manifest.h)
  std::filesystem::path journal;   // multipart uploads in flight (multipart_journal.h)
};

struct SyncSettings {
  // The two sides. REQUIRES: cache->AsLocalFolder() is not null; both outlive the run.
  store::ObjectStore* cache = nullptr;
  store::ObjectStore* bucket = nullptr;
  Direction direction = Direction::kPush;  // push: cache -> bucket; pull: bucket -> cache
  SyncStatePaths state;
  CompareMode compare = CompareMode::kContent;
  KeyFilter filter;
  bool dry_run = false;
  bool delete_removed = false;
  // Deletes allowed in one run; nullopt = at most half of what the destination holds.
  std::optional<uint64_t> max_delete;
  int concurrency = 8;  // files in flight at once
  // Keys planned and settled together (memory is bounded by one window, not the cache), and
  // keys per range of a parallel listing. Tests shrink them to cross borders with few files.
  size_t window_keys = 4096;
  size_t listing_range_keys = 2000;
};

struct SyncSummary {
  uint64_t transferred = 0;  // uploaded (push) or downloaded (pull)
  uint64_t bytes_transferred = 0;
  uint64_t skipped = 0;
  uint64_t deleted = 0;
  uint64_t failed = 0;
  uint64_t hashed_files = 0;  // files read to compare content (the manifest spares the rest)
  uint64_t hashed_bytes = 0;
  // Of `transferred`: uploads started by the walk, before the listing reached their keys
  // (files changed or new since the last run; docs/sync.md, "Early uploads").
  uint64_t early_uploads = 0;
  double elapsed_seconds = 0;
};

// Counters a progress display may read at any time while a sync runs.
struct SyncProgress {
  std::atomic<uint64_t> files_total{0};  // transfers planned
  std::atomic<uint64_t> files_done{0};
  std::atomic<uint64_t> bytes_total{0};
  std::atomic<uint64_t> bytes_done{0};
};

// One sync between the cache and the bucket (docs/sync.md): a merge of the two stores'
// listings in key order; same-size files settled by content (the manifest's hashes, else
// hashing, else the MD5 the object vouches for); new and changed files copied from the source
// to the destination on `concurrency` workers; and only when every copy succeeded, what is
// gone from the source deleted from the destination (with --delete). Each action and failure
// is passed to `report` as it happens (serialised here, though they come from several
// threads); `progress`, if given, is kept current.
// Errors: "Local path does not exist", "Cannot access S3 bucket ...", refusals of --delete, a
// bucket that stopped answering. Failed copies are counted in the summary, not returned.
Result<SyncSummary> RunSync(const SyncSettings& settings,
                            const std::function<void(const SyncEvent&)>& report,
                            SyncProgress* progress = nullptr);

}  // namespace slack_intel::sync
