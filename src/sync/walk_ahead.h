#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>

#include "store/local_walker.h"
#include "sync/local_files.h"
#include "util/result.h"

namespace slack_intel::sync {

// Runs a LocalWalker on its own thread, queueing up to `ahead` files (the reader takes the
// whole queue at once, so up to twice that are in memory) ahead of the reader: the cache's
// walk does not wait for the listing the merge also waits on, and `on_file` (called on the
// walk thread, in key order, then with nullptr at the end of a walk without error) can act on
// a file long before the merge reaches it.
class WalkAhead {
 public:
  WalkAhead(std::unique_ptr<store::LocalWalker> walker, size_t ahead,
            std::function<void(const LocalFile*)> on_file);
  ~WalkAhead();  // stops the walk and waits for the thread
  WalkAhead(const WalkAhead&) = delete;
  WalkAhead& operator=(const WalkAhead&) = delete;

  // The next file by key, nullopt after the last; the walker's error where it stopped.
  Result<std::optional<LocalFile>> Next();

 private:
  void Walk();

  std::unique_ptr<store::LocalWalker> walker_;
  const size_t ahead_;
  std::function<void(const LocalFile*)> on_file_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<LocalFile> files_;  // handed over, not yet taken
  std::deque<LocalFile> taken_;  // the reader's, without the lock
  std::optional<Status> end_;    // OK at the end of the walk, or its error
  bool stop_ = false;
  std::thread thread_;  // last: starts once the rest is ready
};

}  // namespace slack_intel::sync
