#include "sync/walk_ahead.h"

#include <algorithm>
#include <utility>

namespace slack_intel::sync {

WalkAhead::WalkAhead(std::unique_ptr<LocalWalker> walker, size_t ahead,
                     std::function<void(const LocalFile*)> on_file)
    : walker_(std::move(walker)),
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
  while (true) {
    auto file = walker_->Next();
    if (file.ok() && on_file_) on_file_(*file ? &**file : nullptr);
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return stop_ || files_.size() < ahead_; });
    if (stop_) return;
    if (!file.ok() || !*file) {
      end_ = file.ok() ? Status::OK() : file.status();
      changed_.notify_all();
      return;
    }
    files_.push_back(std::move(**file));
    changed_.notify_all();
  }
}

Result<std::optional<LocalFile>> WalkAhead::Next() {
  std::unique_lock lock(mutex_);
  changed_.wait(lock, [&] { return !files_.empty() || end_.has_value(); });
  if (files_.empty()) {
    if (!end_->ok()) return *end_;
    return std::optional<LocalFile>();
  }
  std::optional<LocalFile> file(std::move(files_.front()));
  files_.pop_front();
  changed_.notify_all();
  return file;
}

}  // namespace slack_intel::sync
