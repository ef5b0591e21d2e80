#pragma once

#include <memory>

#include "sync/sync_event.h"
#include "sync/sync_runner.h"

namespace slack_intel::cli {

class ProgressLine;

struct SyncOutputOptions {
  bool json = false;     // one JSON object per event and the summary on stdout
  bool quiet = false;    // failures and the error only
  bool progress = true;  // a live progress line on a terminal
  bool pull = false;     // "downloaded" rather than "uploaded"
  bool dry_run = false;  // "(dryrun) " before the summary
};

// What `sync` prints: each event as aws s3 sync prints it ("upload: SRC to DST"; failures on
// stderr, escaped and with secrets redacted), or as JSON lines; a live progress line on a
// terminal; then the summary. Report() may be called from any thread.
class SyncOutput {
 public:
  explicit SyncOutput(const SyncOutputOptions& options);
  ~SyncOutput();
  SyncOutput(const SyncOutput&) = delete;
  SyncOutput& operator=(const SyncOutput&) = delete;

  void Report(const sync::SyncEvent& event);
  sync::SyncProgress* progress() { return &progress_; }
  // "uploaded N file(s) (B bytes), unchanged U, deleted D, failed F in S s", or {"summary": ...}.
  void PrintSummary(const sync::SyncSummary& summary);

 private:
  const SyncOutputOptions options_;
  sync::SyncProgress progress_;
  std::unique_ptr<ProgressLine> line_;  // after progress_, which it reads
};

}  // namespace slack_intel::cli
