#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "util/result.h"

namespace slack_intel::cache {

// One run at a time on a cache: `cache`, `import` and `sync` each hold this lock for the whole
// run (two runs writing the same partitions, or the same sync state, would undo each other's
// work). It is an flock(2) on <cache>/.slack-intel/lock, so the kernel releases it when its
// holder dies, however it dies; the file also says who holds it (pid, host, command, start
// time), for the message a second run prints. A holder that died leaves that record behind:
// the next run takes the lock over with a warning and removes the temp files the dead run left
// in the cache (RemoveDeadRunsTempFiles). Not thread-safe; one per process.
class CacheLock {
 public:
  // Creates the cache folder's state folder if need be. Errors: kFailedPrecondition when
  // another run holds the lock, naming it ("pid 1234 on host x: slack-intel cache, started
  // 2026-12-07T09:30:00Z"); kIOError when the lock file cannot be made.
  static Result<CacheLock> Acquire(const std::filesystem::path& cache_path,
                                   std::string_view command);
  CacheLock(CacheLock&& other) noexcept;
  CacheLock& operator=(CacheLock&&) = delete;
  // Releases the lock and clears the record: the next run starts clean.
  ~CacheLock();

  // The record a dead holder left ("" when the last run ended cleanly).
  const std::string& taken_over_from() const { return taken_over_from_; }

 private:
  CacheLock(int fd, std::string taken_over_from)
      : fd_(fd), taken_over_from_(std::move(taken_over_from)) {}
  int fd_ = -1;
  std::string taken_over_from_;
};

// Removes, under `cache_path`, the temp files slack-intel writes beside a file while it
// publishes it (".<name>.<pid>.tmp", ".<name>.download.tmp"), and only those: what a killed run
// left. REQUIRES: the caller holds the CacheLock (so no live run is writing them). Returns how
// many it removed.
int RemoveDeadRunsTempFiles(const std::filesystem::path& cache_path);

}  // namespace slack_intel::cache
