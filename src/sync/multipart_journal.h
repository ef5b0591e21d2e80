#pragma once

#include <cstdio>
#include <filesystem>
#include <mutex>
#include <string>

#include "store/object_store.h"
#include "util/status.h"

namespace slack_intel::sync {

// The multipart uploads a sync started, written down as they start, so that when the process
// dies mid-upload (kill -9, power, a lost network that also stops the abort) the next run
// aborts them: no stray upload keeps costing storage. One file per destination, beside the
// manifest. Thread-safe.
class MultipartJournal {
 public:
  explicit MultipartJournal(std::filesystem::path path) : path_(std::move(path)) {}
  ~MultipartJournal();

  // Aborts every upload a previous run left in the journal (those already completed or aborted
  // are fine), then empties it. Returns how many were aborted.
  Result<int> AbortLeftovers(store::ObjectStore& bucket);
  // Appends one upload (its key relative to the bucket's store), flushed before returning.
  void Record(const std::string& key, const std::string& upload_id);
  // Deletes the journal: every upload of this run completed or was aborted.
  void Clear();

 private:
  std::filesystem::path path_;
  std::mutex mutex_;  // guards file_
  std::FILE* file_ = nullptr;
};

}  // namespace slack_intel::sync
