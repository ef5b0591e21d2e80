#include "sync/early_uploads.h"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "sync/local_files.h"
#include "util/digest.h"
#include "util/thread_name.h"

namespace slack_intel::sync {

EarlyUploads::EarlyUploads(SyncContext& context, Transfers& transfers)
    : context_(context), transfers_(transfers) {}

EarlyUploads::~EarlyUploads() { Stop(); }

void EarlyUploads::Start(const std::filesystem::path& manifest, bool last_run_unfinished) {
  const SyncSettings& s = context_.settings();
  if (!context_.cache_is_source() || s.dry_run) return;
  if (last_run_unfinished) {
    spdlog::info("the last sync to {} did not finish: what it uploaded is checked, not sent again",
                 context_.bucket().Describe(""));
    return;
  }
  if (s.compare != CompareMode::kContent) return;
  // The merge reads the same manifest and reports any damage in it.
  recorded_ = std::make_unique<ManifestReader>(manifest, DamageReport::kSilent);
  // No manifest: everything looks new. Uploader threads start as work comes (Consider).
  enabled_ = recorded_->had_entries();
}

void EarlyUploads::Consider(const store::ObjectInfo& file) {
  const SyncSettings& s = context_.settings();
  if (!enabled_ || !s.filter.Includes(file.key)) return;
  const std::optional<ManifestEntry> recorded = recorded_->Find(file.key);
  // Past a damaged line, a file the manifest lacks is not known to be new.
  if (!recorded && recorded_->damaged()) return;
  if (recorded && (recorded->stamp == file.stamp || recorded->md5_hex.empty())) return;
  const uint64_t size = file.size_bytes;
  if (context_.bucket().PartSizeFor(size) > 0) return;  // multipart ETags: the merge's
  const std::filesystem::path path = context_.cache_folder().PathOf(file.key);
  if (file.key.ends_with(".parquet") && !HasParquetFooter(path, size)) return;
  auto look = std::make_shared<EarlyLook>();
  if (recorded) {
    auto md5 = Md5FileRange(path.string(), 0, size);
    if (!md5.ok()) return;
    context_.Hashed(1, size);
    look->md5_hex = HexEncode(*md5);
    // Touched only: not uploaded, but the merge need not read it again.
    look->uploading = look->md5_hex != recorded->md5_hex;
  }
  bool more_uploaders = false;
  {
    std::lock_guard lock(mutex_);
    looks_.emplace(file.key, look);
    if (!look->uploading && recorded) return;
    look->uploading = true;
    context_.Planned(size);
    queue_.emplace_back(file, look);
    more_uploaders = queue_.size() > idle_ &&
                     uploaders_.size() < static_cast<size_t>(std::max(s.concurrency, 1));
  }
  // Only this thread adds uploaders, and Stop() joins them after this thread ended. One job
  // wakes one uploader: every needless wake-up costs a pair of context switches.
  if (more_uploaders) {
    uploaders_.emplace_back([this] { Uploader(); });
  } else {
    queued_.notify_one();
  }
}

void EarlyUploads::Uploader() {
  NameThisThread("si-upload");
  while (true) {
    std::pair<store::ObjectInfo, std::shared_ptr<EarlyLook>> job;
    {
      std::unique_lock lock(mutex_);
      ++idle_;
      queued_.wait(lock, [&] { return closed_ || !queue_.empty(); });
      --idle_;
      if (queue_.empty()) return;
      job = std::move(queue_.front());
      queue_.pop_front();
    }
    Item item;
    item.cache = std::move(job.first);
    if (transfers_.Copy(item)) context_.EarlyUploaded();
    {
      std::lock_guard lock(mutex_);
      job.second->entry = std::move(item.entry);
      job.second->done = true;
    }
    done_.notify_all();
  }
}

std::shared_ptr<EarlyLook> EarlyUploads::Take(const std::string& key) {
  std::lock_guard lock(mutex_);
  auto it = looks_.find(key);
  if (it == looks_.end()) return nullptr;
  std::shared_ptr<EarlyLook> look = std::move(it->second);
  looks_.erase(it);
  return look;
}

void EarlyUploads::Await(Item& item) {
  std::unique_lock lock(mutex_);
  done_.wait(lock, [&] { return item.early->done; });
  if (item.early->entry) item.entry = item.early->entry;
}

void EarlyUploads::Stop() {
  {
    std::lock_guard lock(mutex_);
    closed_ = true;
  }
  queued_.notify_all();
  for (std::thread& uploader : uploaders_) uploader.join();
  uploaders_.clear();
}

}  // namespace slack_intel::sync
