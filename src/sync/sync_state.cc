#include "sync/sync_state.h"

#include <spdlog/spdlog.h>

namespace slack_intel::sync {

SyncState::SyncState(SyncContext& context)
    : context_(context),
      manifest_path_(context.settings().state.manifest),
      journal_(context.settings().state.journal) {}

Result<bool> SyncState::Begin() {
  const bool dry_run = context_.settings().dry_run;
  bool last_run_unfinished = false;
  if (!dry_run) {
    SLACK_INTEL_ASSIGN_OR_RETURN(const int aborted, journal_.AbortLeftovers(context_.bucket()));
    if (aborted > 0) spdlog::info("aborted {} unfinished multipart upload(s)", aborted);
    // Marked before anything goes up; cleared once the manifest holds all this run uploaded.
    if (context_.cache_is_source()) last_run_unfinished = MarkManifestUnfinished(manifest_path_);
    manifest_.emplace(manifest_path_);  // written from its first change on
  }
  recorded_ = std::make_unique<ManifestReader>(manifest_path_);
  return last_run_unfinished;
}

std::vector<std::string> SyncState::SplitKeys(size_t every) const {
  return ManifestReader::SampleKeys(manifest_path_, every);
}

void SyncState::Record(const std::vector<Item>& window) {
  if (!manifest_) return;
  // Entries the reader passed over (files gone) change the manifest from here on.
  Status written = recorded_->Dropped(false) > 0 ? manifest_->Diverge() : Status::OK();
  for (const Item& item : window) {
    if (!written.ok()) break;
    if (item.entry != item.recorded) written = manifest_->Diverge();
    if (written.ok() && item.entry)
      written = manifest_->Add(item.entry == item.recorded, item.key(), *item.entry);
  }
  if (!written.ok()) ManifestFailed(written);
}

void SyncState::Finish() {
  if (context_.settings().dry_run) return;
  if (context_.failed() == 0) journal_.Clear();
  // Rewritten only when something changed: a no-op sync leaves the file as it was.
  if (manifest_ && recorded_->Dropped(true) > 0) {
    if (Status written = manifest_->Diverge(); !written.ok()) ManifestFailed(written);
  }
  if (manifest_ && manifest_->changed()) {
    if (Status saved = manifest_->Commit(); !saved.ok()) ManifestFailed(saved);
  }
  if (manifest_) ClearManifestUnfinished(manifest_path_);
}

void SyncState::ManifestFailed(const Status& status) {
  spdlog::warn("{} (the next run will hash files again)", status.message());
  manifest_.reset();
}

}  // namespace slack_intel::sync
