#pragma once

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "s3/client.h"
#include "s3/transfer.h"
#include "sync/key_filter.h"
#include "sync/plan.h"
#include "sync/sync_event.h"

namespace slack_intel::sync {

struct SyncSettings {
  std::filesystem::path cache_path;
  std::string bucket;
  std::string prefix;  // "" or ending in '/' (store::NormalizePrefix)
  Direction direction = Direction::kPush;
  CompareMode compare = CompareMode::kContent;
  KeyFilter filter;
  bool dry_run = false;
  bool delete_removed = false;
  // Deletes allowed in one run; nullopt = at most half of what the destination holds.
  std::optional<uint64_t> max_delete;
  int concurrency = 8;  // files in flight at once
  s3::UploadOptions upload;
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

// One sync between the cache and s3://bucket/prefix (docs/sync.md): list both sides, plan,
// settle same-size files by content (the manifest's hashes, else hashing, else the object's
// MD5 metadata), transfer new and changed files on `concurrency` workers (each with its own
// connection), and only when every transfer succeeded, delete what is gone from the source
// (with --delete). Each action and failure is passed to `report` as it happens (serialised
// here, though they come from several threads); `progress`, if given, is kept current.
// Errors: "Local path does not exist", "Cannot access S3 bucket ...", refusals of --delete.
// Failed transfers are counted in the summary, not returned as an error.
Result<SyncSummary> RunSync(const SyncSettings& settings, const s3::ClientOptions& options,
                            const std::function<void(const SyncEvent&)>& report,
                            SyncProgress* progress = nullptr);

}  // namespace slack_intel::sync
