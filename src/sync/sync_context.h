#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "store/object_store.h"
#include "sync/manifest.h"
#include "sync/plan.h"
#include "sync/sync_event.h"
#include "sync/sync_runner.h"

namespace slack_intel::sync {

// What the walk learnt of a changed cache file before the merge reached its key.
struct EarlyLook {
  std::string md5_hex;                 // the content MD5, if the walk read it
  bool uploading = false;              // its upload started (an early upload)
  bool done = false;                   // ... and ended
  std::optional<ManifestEntry> entry;  // the uploaded version, if it went up
};

// One key of the merge of the two sides, and what this run does with it.
struct Item {
  ActionKind kind = ActionKind::kSkip;
  bool ignored = false;  // nothing is to happen to it (excluded, or on one side and kept)
  std::optional<store::ObjectInfo> cache;   // the cache's file
  std::optional<store::ObjectInfo> bucket;  // the bucket's object
  std::optional<ManifestEntry> recorded;    // the manifest's, from the last run
  std::optional<ManifestEntry> entry;       // the manifest's, after this run
  std::shared_ptr<EarlyLook> early;         // what the walk learnt before the merge came
  const std::string& key() const { return cache ? cache->key : bucket->key; }
};

// What the parts of one sync share: the two stores in their roles, the settings, the events
// and the counters. Thread-safe: events are serialised, counters atomic.
class SyncContext {
 public:
  SyncContext(const SyncSettings& settings, const std::function<void(const SyncEvent&)>& report,
              SyncProgress* progress);

  const SyncSettings& settings() const { return s_; }
  store::ObjectStore& cache() const { return *s_.cache; }
  store::LocalFolder& cache_folder() const { return *s_.cache->AsLocalFolder(); }
  store::ObjectStore& bucket() const { return *s_.bucket; }
  bool cache_is_source() const { return s_.direction == Direction::kPush; }
  store::ObjectStore& source() const { return cache_is_source() ? cache() : bucket(); }
  store::ObjectStore& destination() const { return cache_is_source() ? bucket() : cache(); }
  // The item's sides in the roles of this run.
  const std::optional<store::ObjectInfo>& SourceOf(const Item& item) const {
    return cache_is_source() ? item.cache : item.bucket;
  }
  const std::optional<store::ObjectInfo>& DestinationOf(const Item& item) const {
    return cache_is_source() ? item.bucket : item.cache;
  }
  // "upload" into the bucket, "download" into the cache.
  SyncEvent::Kind transfer_kind() const {
    return cache_is_source() ? SyncEvent::Kind::kUpload : SyncEvent::Kind::kDownload;
  }
  std::string_view transfer_verb() const { return cache_is_source() ? "upload" : "download"; }
  SyncEvent::Kind transfer_failed_kind() const {
    return cache_is_source() ? SyncEvent::Kind::kUploadFailed : SyncEvent::Kind::kDownloadFailed;
  }

  void Emit(const SyncEvent& event);
  // A failure: counted, and reported unless the bucket no longer answers (then every file
  // fails the same way, and the run says it once).
  void Fail(const SyncEvent& event);
  uint64_t failed() const { return failed_; }

  // A transfer planned, and one done.
  void Planned(uint64_t bytes);
  void Transferred(uint64_t bytes);
  void Hashed(uint64_t files, uint64_t bytes) {
    hashed_files_ += files;
    hashed_bytes_ += bytes;
  }
  void Skipped() { ++skipped_; }
  void Deleted() { ++deleted_; }
  void EarlyUploaded() { ++early_uploads_; }
  // A dry run's transfer: what would happen.
  void WouldTransfer(uint64_t bytes) {
    ++transferred_;
    bytes_transferred_ += bytes;
  }
  double Seconds() const {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
  }
  SyncSummary Summary() const;

 private:
  const SyncSettings& s_;
  const std::function<void(const SyncEvent&)>& report_;
  SyncProgress own_progress_;
  SyncProgress* progress_;
  std::mutex report_mutex_;  // serialises report_ across workers
  const std::chrono::steady_clock::time_point started_ = std::chrono::steady_clock::now();
  std::atomic<uint64_t> transferred_{0}, bytes_transferred_{0}, skipped_{0}, deleted_{0},
      failed_{0}, hashed_files_{0}, hashed_bytes_{0}, early_uploads_{0};
};

}  // namespace slack_intel::sync
