#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>

#include "store/object_store.h"
#include "util/result.h"

namespace slack_intel::sync {

// Runs a listing (the cache's walk) on its own thread, queueing up to `ahead` files (the reader
// takes the whole queue at once, so up to twice that are in memory) ahead of the reader: the
// cache's walk does not wait for the listing the merge also waits on, and `on_file` (called on the
// walk thread, in key order, then with nullptr at the end of a walk without error) can act on
// a file long before the merge reaches it.
class WalkAhead final : public store::ObjectListing {
 public:
  WalkAhead(std::unique_ptr<store::ObjectListing> walk, size_t ahead,
            std::function<void(const store::ObjectInfo*)> on_file);
  ~WalkAhead() override;  // stops the walk and waits for the thread
  WalkAhead(const WalkAhead&) = delete;
  WalkAhead& operator=(const WalkAhead&) = delete;

  // The next file by key, nullopt after the last; the walker's error where it stopped.
  Result<std::optional<store::ObjectInfo>> Next() override;

 private:
  void Walk();

  std::unique_ptr<store::ObjectListing> walk_;
  const size_t ahead_;
  std::function<void(const store::ObjectInfo*)> on_file_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<store::ObjectInfo> files_;  // handed over, not yet taken
  std::deque<store::ObjectInfo> taken_;  // the reader's, without the lock
  std::optional<Status> end_;            // OK at the end of the walk, or its error
  bool stop_ = false;
  std::thread thread_;  // last: starts once the rest is ready
};

}  // namespace slack_intel::sync
