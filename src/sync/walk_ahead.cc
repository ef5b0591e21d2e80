#include "sync/walk_ahead.h"

#include <algorithm>
#include <utility>
#include <vector>

#include "util/thread_name.h"

namespace slack_intel::sync {
namespace {

// Files cross between the threads in batches: one lock and one wake-up per batch, not per file.
constexpr size_t kBatchFiles = 64;

}  // namespace

WalkAhead::WalkAhead(std::unique_ptr<store::ObjectListing> walk, size_t ahead,
                     std::function<void(const store::ObjectInfo*)> on_file)
    : walk_(std::move(walk)),
      ahead_(std::max<size_t>(ahead, 1)),
      on_file_(std::move(on_file)),
      thread_([this] { Walk(); }) {}

WalkAhead::~WalkAhead() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  changed_.notify_all();
  thread_.join();
}

void WalkAhead::Walk() {
  NameThisThread("si-walk");
  std::vector<store::ObjectInfo> batch;
  while (true) {
    auto file = walk_->Next();
    if (file.ok() && on_file_) on_file_(*file ? &**file : nullptr);
    const bool end = !file.ok() || !*file;
    if (!end) batch.push_back(std::move(**file));
    if (!end && batch.size() < kBatchFiles) continue;
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return stop_ || files_.size() < ahead_; });
    if (stop_) return;
    for (store::ObjectInfo& f : batch) files_.push_back(std::move(f));
    batch.clear();
    if (end) end_ = file.ok() ? Status::OK() : file.status();
    changed_.notify_all();
    if (end) return;
  }
}

Result<std::optional<store::ObjectInfo>> WalkAhead::Next() {
  if (taken_.empty()) {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return !files_.empty() || end_.has_value(); });
    taken_.swap(files_);
    changed_.notify_all();
  }
  if (taken_.empty()) {
    if (!end_->ok()) return *end_;
    return std::optional<store::ObjectInfo>();
  }
  std::optional<store::ObjectInfo> file(std::move(taken_.front()));
  taken_.pop_front();
  return file;
}

}  // namespace slack_intel::sync
