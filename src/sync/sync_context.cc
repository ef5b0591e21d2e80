#include "sync/sync_context.h"

namespace slack_intel::sync {

SyncContext::SyncContext(const SyncSettings& settings,
                         const std::function<void(const SyncEvent&)>& report,
                         SyncProgress* progress)
    : s_(settings), report_(report), progress_(progress ? progress : &own_progress_) {}

void SyncContext::Emit(const SyncEvent& event) {
  std::lock_guard lock(report_mutex_);
  report_(event);
}

void SyncContext::Fail(const SyncEvent& event) {
  ++failed_;
  if (!bucket().Reachable().ok()) return;
  Emit(event);
}

void SyncContext::Planned(uint64_t bytes) {
  ++progress_->files_total;
  progress_->bytes_total += bytes;
}

void SyncContext::Transferred(uint64_t bytes) {
  ++transferred_;
  bytes_transferred_ += bytes;
  ++progress_->files_done;
  progress_->bytes_done += bytes;
}

SyncSummary SyncContext::Summary() const {
  SyncSummary summary;
  summary.transferred = transferred_;
  summary.bytes_transferred = bytes_transferred_;
  summary.skipped = skipped_;
  summary.deleted = deleted_;
  summary.failed = failed_;
  summary.hashed_files = hashed_files_;
  summary.hashed_bytes = hashed_bytes_;
  summary.early_uploads = early_uploads_;
  summary.elapsed_seconds = Seconds();
  return summary;
}

}  // namespace slack_intel::sync
