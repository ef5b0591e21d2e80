#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "sync/manifest.h"
#include "sync/multipart_journal.h"
#include "sync/sync_context.h"

namespace slack_intel::sync {

// What a sync keeps between runs for one cache and bucket (docs/sync.md, "The manifest"): the
// manifest, read beside the merge and rewritten only from its first change on; the mark that
// a run which uploads has not finished; the journal of multipart uploads in flight. A dry run
// reads and writes nothing but the manifest's hints.
class SyncState {
 public:
  explicit SyncState(SyncContext& context);

  // Before anything is copied: aborts the uploads a killed run left and, when this run
  // uploads, marks the manifest unfinished. Returns whether the last run left the mark.
  Result<bool> Begin();
  MultipartJournal& journal() { return journal_; }
  // Where a parallel listing of the bucket can cut the key space: every `every`-th key the
  // manifest holds.
  std::vector<std::string> SplitKeys(size_t every) const;
  // The manifest's entry for `key`. Keys must come in ascending order.
  std::optional<ManifestEntry> Recorded(const std::string& key) { return recorded_->Find(key); }
  // Writes a window's part of the new manifest, in key order.
  void Record(const std::vector<Item>& window);
  // At the end of a run that went through: the journal emptied if nothing failed, the
  // manifest replaced if it changed, the mark cleared.
  void Finish();

 private:
  // The manifest is a hint: without it the next run hashes again, and this one goes on.
  void ManifestFailed(const Status& status);

  SyncContext& context_;
  const std::filesystem::path manifest_path_;
  MultipartJournal journal_;
  std::unique_ptr<ManifestReader> recorded_;
  std::optional<ManifestWriter> manifest_;  // not in a dry run
};

}  // namespace slack_intel::sync
