#include "sync/sync_runner.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <semaphore>
#include <string_view>
#include <system_error>
#include <thread>
#include <vector>

#include "store/local_walker.h"
#include "store/s3_listing.h"
#include "sync/local_files.h"
#include "sync/manifest.h"
#include "sync/multipart_journal.h"
#include "sync/walk_ahead.h"
#include "util/atomic_file.h"
#include "util/digest.h"
#include "util/parallel_for.h"
#include "util/thread_name.h"
#include "util/time_format.h"

namespace slack_intel::sync {
namespace {

std::string ContentType(const std::string& key) {
  return key.ends_with(".parquet") ? "application/vnd.apache.parquet" : "application/octet-stream";
}

// Sets a downloaded file's mtime to the object's LastModified, as aws s3 sync does, so that
// --compare mtime sees the two as the same age.
void SetMtime(const std::filesystem::path& path, const std::string& iso_time) {
  auto time = ParseIso8601Utc(iso_time);
  if (!time.ok()) return;
  const auto seconds =
      std::chrono::duration_cast<std::chrono::seconds>(time->time_since_epoch()).count();
  const struct timespec times[2] = {{0, UTIME_OMIT}, {static_cast<time_t>(seconds), 0}};
  ::utimensat(AT_FDCWD, path.c_str(), times, 0);
}

// How far the walk may run ahead of the merge (about 100 bytes a file, twice: queued, and
// taken by the merge): far enough that the walk of a big cache meets changed files long before
// the listing reaches them.
constexpr size_t kWalkAheadFiles = 32768;

// Holds one of --concurrency transfer slots, which the merge's workers and the early uploads
// share.
class TransferSlot {
 public:
  explicit TransferSlot(std::counting_semaphore<>& slots) : slots_(slots) { slots_.acquire(); }
  ~TransferSlot() { slots_.release(); }
  TransferSlot(const TransferSlot&) = delete;
  TransferSlot& operator=(const TransferSlot&) = delete;

 private:
  std::counting_semaphore<>& slots_;
};

// What the walk learnt of a changed file before the merge reached its key.
struct EarlyLook {
  std::string md5_hex;                 // the content MD5, if the walk read it
  bool uploading = false;              // its upload started (an early upload)
  bool done = false;                   // ... and ended
  std::optional<ManifestEntry> entry;  // the uploaded version, if it went up
};

// One key of the merge of the two sides, and what this run does with it.
struct Item {
  ActionKind kind = ActionKind::kSkip;
  bool ignored = false;  // on one side only, and nothing is to happen to it
  std::optional<LocalFile> local;
  std::optional<s3::ObjectSummary> remote;
  std::optional<ManifestEntry> recorded;  // the manifest's, from the last run
  std::optional<ManifestEntry> entry;     // the manifest's, after this run
  std::shared_ptr<EarlyLook> early;       // what the walk learnt before the merge came
  const std::string& key() const { return local ? local->key : remote->key; }
};

// This file version was last seen as exactly this object: settled without any I/O.
bool KnownSame(const Item& item) {
  const std::optional<ManifestEntry>& known = item.recorded;
  return known && known->stamp == item.local->stamp && !known->md5_hex.empty() &&
         !item.remote->etag.empty() && known->remote_etag == item.remote->etag;
}

// One run of RunSync; the members are what its workers share.
class SyncRun {
 public:
  SyncRun(const SyncSettings& settings, const s3::ClientOptions& options,
          const std::function<void(const SyncEvent&)>& report, SyncProgress* progress)
      : s_(settings),
        options_(options),
        report_(report),
        progress_(progress ? progress : &own_progress_),
        manifest_path_(
            SyncStatePath(s_.cache_path, options_.endpoint_url, s_.bucket, s_.prefix, "manifest")),
        journal_(
            SyncStatePath(s_.cache_path, options_.endpoint_url, s_.bucket, s_.prefix, "uploads")),
        transfer_slots_(std::max(s_.concurrency, 1)) {}
  ~SyncRun() { StopEarlyUploads(); }

  Result<SyncSummary> Run();

 private:
  bool push() const { return s_.direction == Direction::kPush; }
  std::string Url(const std::string& key) const { return s3::S3Url(s_.bucket, s_.prefix + key); }
  std::filesystem::path LocalPath(const std::string& relative) const {
    return s_.cache_path / relative;
  }
  std::string Display(const std::string& relative) const {
    return (s_.cache_path / relative).generic_string();
  }
  void Emit(SyncEvent event) {
    std::lock_guard lock(report_mutex_);
    report_(event);
  }
  void Fail(SyncEvent event) {
    ++failed_;
    // Once the server counts as down, every file fails the same way: the run says it once.
    if (!ServerDown().ok()) return;
    Emit(std::move(event));
  }
  Status ServerDown() const {
    return options_.server_health ? options_.server_health->Check() : Status::OK();
  }

  Status FillLocal();
  Status FillRemote();
  void StartEarlyUploads(bool last_run_unfinished);
  void ConsiderEarly(const LocalFile& file);  // on the walk thread
  void EarlyUploader();                       // on each early upload thread
  std::shared_ptr<EarlyLook> TakeEarly(const std::string& key);
  void StopEarlyUploads();
  Result<bool> NextItem(Item& item);
  void Plan(Item& item);
  void AwaitEarly(Item& item);
  void Settle(s3::Client& client, Item& item);
  void Record(const std::vector<Item>& window);
  void ManifestFailed(const Status& status);
  Result<LocalDigest> Digest(const Item& item, bool with_multipart_etag);
  Result<bool> SameContent(s3::Client& client, Item& item);
  Status CheckDeletes() const;
  bool Upload(s3::Client& client, Item& item);  // false: failed (and reported)
  void Download(s3::Client& client, Item& item);
  void DeleteRemote(s3::Client& client);
  void DeleteLocal();
  double Seconds() const {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
  }
  void Planned(uint64_t bytes) {
    ++progress_->files_total;
    progress_->bytes_total += bytes;
  }
  void Transferred(uint64_t bytes) {
    ++transferred_;
    bytes_transferred_ += bytes;
    ++progress_->files_done;
    progress_->bytes_done += bytes;
  }

  const SyncSettings& s_;
  const s3::ClientOptions& options_;
  const std::function<void(const SyncEvent&)>& report_;
  SyncProgress own_progress_;
  SyncProgress* progress_;
  std::mutex report_mutex_;  // serialises report_ across workers
  const std::filesystem::path manifest_path_;
  const std::chrono::steady_clock::time_point started_ = std::chrono::steady_clock::now();
  MultipartJournal journal_;
  std::filesystem::path canonical_root_;      // pulls never write outside it
  std::counting_semaphore<> transfer_slots_;  // --concurrency transfers at once, all paths
  // Early uploads: push, --compare content, not a dry run (StartEarlyUploads).
  std::unique_ptr<ManifestReader> early_recorded_;  // the walk thread's cursor
  std::mutex early_mutex_;
  std::condition_variable early_queued_;  // uploaders wait for work (or the end)
  std::condition_variable early_done_;    // the merge waits for an upload to end
  std::deque<std::pair<LocalFile, std::shared_ptr<EarlyLook>>> early_queue_;
  std::map<std::string, std::shared_ptr<EarlyLook>> early_;  // until the merge takes them
  bool early_enabled_ = false;                               // set before the walk starts
  bool early_closed_ = false;
  size_t early_idle_ = 0;  // uploaders waiting for work
  std::vector<std::thread> early_uploaders_;
  // The merge: both sides stream in key order, with the manifest beside them.
  std::unique_ptr<WalkAhead> walk_;  // after what its callback uses: stopped first
  std::unique_ptr<store::S3Listing> listing_;
  std::unique_ptr<ManifestReader> recorded_;
  std::optional<ManifestWriter> manifest_;  // not in a dry run
  std::optional<LocalFile> local_head_;
  std::optional<s3::ObjectSummary> remote_head_;
  uint64_t local_count_ = 0, remote_count_ = 0;
  std::vector<Item> deletes_;  // run only after every transfer succeeded
  std::atomic<uint64_t> transferred_{0}, bytes_transferred_{0}, skipped_{0}, deleted_{0},
      failed_{0}, hashed_files_{0}, hashed_bytes_{0}, early_uploads_{0};
};

// Excluded files too: the merge keeps their manifest entries (NextItem).
Status SyncRun::FillLocal() {
  if (walk_) {
    SLACK_INTEL_ASSIGN_OR_RETURN(local_head_, walk_->Next());
  }
  return Status::OK();
}

// A file whose stamp and MD5 both differ from the manifest's changed since the last run, and
// a file the manifest lacks is new since then: either has to go up whatever the listing says
// (at worst the PUT repeats bytes someone else uploaded), so it goes up now, while the walk
// and the listing go on. Everything else, and any doubt, is left to the merge.
void SyncRun::StartEarlyUploads(bool last_run_unfinished) {
  if (!push() || s_.dry_run) return;
  // A run that ended before writing the manifest may have uploaded files it lacks: until a
  // run finishes, no file looks new.
  if (last_run_unfinished) {
    spdlog::info("the last sync to {} did not finish: what it uploaded is checked, not sent again",
                 Url(""));
    return;
  }
  if (s_.compare != CompareMode::kContent) return;
  // The merge reads the same manifest and reports any damage in it.
  early_recorded_ = std::make_unique<ManifestReader>(manifest_path_, DamageReport::kSilent);
  // No manifest: everything looks new. Uploader threads start as work comes (ConsiderEarly).
  early_enabled_ = early_recorded_->had_entries();
}

void SyncRun::ConsiderEarly(const LocalFile& file) {
  if (!early_enabled_ || !s_.filter.Includes(file.key)) return;
  const std::optional<ManifestEntry> recorded = early_recorded_->Find(file.key);
  // Past a damaged line, a file the manifest lacks is not known to be new.
  if (!recorded && early_recorded_->damaged()) return;
  if (recorded && (recorded->stamp == file.stamp || recorded->md5_hex.empty())) return;
  const uint64_t size = file.stamp.size_bytes;
  if (size >= s_.upload.multipart_threshold_bytes) return;  // multipart ETags: the merge's
  const std::string path = LocalPath(CacheRelativePath(file)).string();
  if (file.key.ends_with(".parquet") && !HasParquetFooter(path, size)) return;
  auto early = std::make_shared<EarlyLook>();
  if (recorded) {
    auto md5 = Md5FileRange(path, 0, size);
    if (!md5.ok()) return;
    ++hashed_files_;
    hashed_bytes_ += size;
    early->md5_hex = HexEncode(*md5);
    // Touched only: not uploaded, but the merge need not read it again.
    early->uploading = early->md5_hex != recorded->md5_hex;
  }
  bool more_uploaders = false;
  {
    std::lock_guard lock(early_mutex_);
    early_.emplace(file.key, early);
    if (!early->uploading && recorded) return;
    early->uploading = true;
    Planned(size);
    early_queue_.emplace_back(file, early);
    more_uploaders = early_queue_.size() > early_idle_ &&
                     early_uploaders_.size() < static_cast<size_t>(std::max(s_.concurrency, 1));
  }
  // Only this thread adds uploaders, and the merge joins them after this thread ended. One
  // job wakes one uploader: every needless wake-up costs a pair of context switches.
  if (more_uploaders) {
    early_uploaders_.emplace_back([this] { EarlyUploader(); });
  } else {
    early_queued_.notify_one();
  }
}

void SyncRun::EarlyUploader() {
  NameThisThread("si-upload");
  s3::Client client(options_);
  while (true) {
    std::pair<LocalFile, std::shared_ptr<EarlyLook>> job;
    {
      std::unique_lock lock(early_mutex_);
      ++early_idle_;
      early_queued_.wait(lock, [&] { return early_closed_ || !early_queue_.empty(); });
      --early_idle_;
      if (early_queue_.empty()) return;
      job = std::move(early_queue_.front());
      early_queue_.pop_front();
    }
    Item item;
    item.local = std::move(job.first);
    if (Upload(client, item)) ++early_uploads_;
    {
      std::lock_guard lock(early_mutex_);
      job.second->entry = std::move(item.entry);
      job.second->done = true;
    }
    early_done_.notify_all();
  }
}

std::shared_ptr<EarlyLook> SyncRun::TakeEarly(const std::string& key) {
  std::lock_guard lock(early_mutex_);
  auto it = early_.find(key);
  if (it == early_.end()) return nullptr;
  std::shared_ptr<EarlyLook> early = std::move(it->second);
  early_.erase(it);
  return early;
}

void SyncRun::StopEarlyUploads() {
  walk_.reset();  // no more files to consider
  {
    std::lock_guard lock(early_mutex_);
    early_closed_ = true;
  }
  early_queued_.notify_all();
  for (std::thread& uploader : early_uploaders_) uploader.join();
  early_uploaders_.clear();
}

Status SyncRun::FillRemote() {
  while (true) {
    SLACK_INTEL_ASSIGN_OR_RETURN(remote_head_, listing_->Next());
    if (!remote_head_) {
      spdlog::debug("listing read in {:.3f} s", Seconds());
      return Status::OK();
    }
    if (!s_.filter.Includes(remote_head_->key)) continue;
    if (!push()) {
      // A key that cannot be a cache file is reported, and neither downloaded nor taken as
      // "missing" (which could delete a local file).
      if (auto relative = CacheRelativePathForKey(remote_head_->key); !relative.ok()) {
        Fail({SyncEvent::Kind::kInvalidKey, false, Url(remote_head_->key), "",
              remote_head_->size_bytes, relative.status().message()});
        continue;
      }
    }
    return Status::OK();
  }
}

// The next key of the merge, with what each side and the manifest hold for it.
Result<bool> SyncRun::NextItem(Item& item) {
  item = Item{};
  if (!local_head_ && !remote_head_) return false;
  const bool take_local = local_head_ && (!remote_head_ || local_head_->key <= remote_head_->key);
  const bool take_remote = remote_head_ && (!local_head_ || remote_head_->key <= local_head_->key);
  if (take_local) {
    item.local = std::move(local_head_);
    SLACK_INTEL_RETURN_IF_ERROR(FillLocal());
  }
  if (take_remote) {
    item.remote = std::move(remote_head_);
    SLACK_INTEL_RETURN_IF_ERROR(FillRemote());
  }
  item.recorded = recorded_->Find(item.key());
  if (item.local && !s_.filter.Includes(item.local->key)) {
    // Nothing happens to an excluded file, but the manifest keeps what it knows of it: the
    // next run that includes it must not take it for new.
    item.ignored = true;
    item.entry = item.recorded;
    return true;
  }
  if (item.local && early_enabled_) item.early = TakeEarly(item.local->key);
  const bool uploading = item.early && item.early->uploading;
  if (item.local && push() && !uploading && item.local->key.ends_with(".parquet")) {
    // A version the manifest knows was complete when it was last synced.
    const bool checked_before = item.recorded && item.recorded->stamp == item.local->stamp;
    if (!checked_before && !HasParquetFooter(LocalPath(CacheRelativePath(*item.local)),
                                             item.local->stamp.size_bytes)) {
      Fail({SyncEvent::Kind::kInvalidFile, false, Display(CacheRelativePath(*item.local)), "",
            item.local->stamp.size_bytes, ""});
      item.local.reset();
      if (!item.remote) item.ignored = true;
    }
  }
  if (item.local) {
    ++local_count_;
    item.entry = item.recorded;  // kept while the file is there
  }
  if (item.remote) ++remote_count_;
  return true;
}

// Decides from the listings alone; same-size files are settled later (Settle).
void SyncRun::Plan(Item& item) {
  if (item.ignored) return;
  if (item.early && item.early->uploading) {  // planned (and counted) when it started
    item.kind = ActionKind::kTransfer;
    return;
  }
  const bool source = push() ? item.local.has_value() : item.remote.has_value();
  const bool destination = push() ? item.remote.has_value() : item.local.has_value();
  if (source && destination) {
    item.kind = Judge(*item.local, *item.remote, {s_.direction, s_.compare, s_.delete_removed});
    if (item.kind == ActionKind::kCompare && KnownSame(item)) item.kind = ActionKind::kSkip;
  } else if (source) {
    item.kind = ActionKind::kTransfer;
  } else {
    item.kind = ActionKind::kDelete;
    item.ignored = !s_.delete_removed;
  }
  if (item.ignored) return;
  if (item.kind == ActionKind::kSkip) ++skipped_;
  if (item.kind == ActionKind::kTransfer)
    Planned(push() ? item.local->stamp.size_bytes : item.remote->size_bytes);
}

// Takes over what an early upload learnt, once it ended.
void SyncRun::AwaitEarly(Item& item) {
  std::unique_lock lock(early_mutex_);
  early_done_.wait(lock, [&] { return item.early->done; });
  if (item.early->entry) item.entry = item.early->entry;
}

// Settles a compare, then transfers (or, in a dry run, reports) what has to go.
void SyncRun::Settle(s3::Client& client, Item& item) {
  if (item.kind == ActionKind::kCompare) {
    auto same = SameContent(client, item);
    if (!same.ok()) spdlog::warn("{}: {}; copying it", item.key(), same.status().message());
    if (same.ok() && *same) {
      item.kind = ActionKind::kSkip;
      ++skipped_;
      return;
    }
    item.kind = ActionKind::kTransfer;
    Planned(push() ? item.local->stamp.size_bytes : item.remote->size_bytes);
  }
  if (item.kind != ActionKind::kTransfer) return;
  if (!s_.dry_run) {
    if (push()) {
      Upload(client, item);
    } else {
      Download(client, item);
    }
    return;
  }
  if (push()) {
    Emit({SyncEvent::Kind::kUpload, true, Display(CacheRelativePath(*item.local)), Url(item.key()),
          item.local->stamp.size_bytes, ""});
  } else {
    Emit({SyncEvent::Kind::kDownload, true, Url(item.key()),
          Display(*CacheRelativePathForKey(item.key())), item.remote->size_bytes, ""});
  }
  ++transferred_;  // what would happen
  bytes_transferred_ += push() ? item.local->stamp.size_bytes : item.remote->size_bytes;
}

// Writes the window's part of the new manifest, in key order.
void SyncRun::Record(const std::vector<Item>& window) {
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

// The manifest is a hint: without it the next run hashes again, and this one goes on.
void SyncRun::ManifestFailed(const Status& status) {
  spdlog::warn("{} (the next run will hash files again)", status.message());
  manifest_.reset();
}

Result<LocalDigest> SyncRun::Digest(const Item& item, bool with_multipart_etag) {
  const LocalFile& file = *item.local;
  const uint64_t size = file.stamp.size_bytes;
  const bool multipart = size >= std::max<uint64_t>(s_.upload.multipart_threshold_bytes, 1);
  const uint64_t part_size = multipart ? s3::EffectivePartSize(size, s_.upload.part_size_bytes) : 0;
  LocalDigest digest;
  const std::optional<ManifestEntry>& recorded = item.recorded;
  if (recorded && recorded->stamp == file.stamp) {  // the same file version: reuse its hashes
    digest.md5_hex = recorded->md5_hex;
    if (recorded->part_size == part_size) digest.multipart_etag = recorded->multipart_etag;
  } else if (item.early) {  // the walk read it already
    digest.md5_hex = item.early->md5_hex;
  }
  const std::string path = LocalPath(CacheRelativePath(file)).string();
  if (digest.md5_hex.empty()) {
    SLACK_INTEL_ASSIGN_OR_RETURN(std::string md5, Md5FileRange(path, 0, size));
    digest.md5_hex = HexEncode(md5);
    ++hashed_files_;
    hashed_bytes_ += size;
  }
  if (with_multipart_etag && multipart && digest.multipart_etag.empty()) {
    hashed_bytes_ += size;
    std::vector<s3::CompletedPart> parts;
    for (uint64_t offset = 0; offset < size; offset += part_size) {
      SLACK_INTEL_ASSIGN_OR_RETURN(std::string md5,
                                   Md5FileRange(path, offset, std::min(part_size, size - offset)));
      parts.push_back({static_cast<int>(parts.size() + 1), HexEncode(md5)});
    }
    digest.multipart_etag = s3::MultipartETag(parts);
  }
  return digest;
}

// Settles a same-size file: the listing's ETag (or the one the manifest saw with this content)
// proves it unchanged; an ETag never seen before is checked against the MD5 the object
// carries in its metadata, with one HEAD.
Result<bool> SyncRun::SameContent(s3::Client& client, Item& item) {
  const LocalFile& file = *item.local;
  const s3::ObjectSummary& remote = *item.remote;
  const std::optional<ManifestEntry>& known = item.recorded;
  const bool remote_is_multipart = remote.etag.find('-') != std::string::npos;
  SLACK_INTEL_ASSIGN_OR_RETURN(LocalDigest digest, Digest(item, remote_is_multipart));
  const std::string known_md5 = known ? known->md5_hex : "";
  const std::string known_etag = known ? known->remote_etag : "";
  bool same = ContentMatches(digest, remote, known_md5, known_etag);
  if (!same && !(known_etag == remote.etag && !known_md5.empty())) {
    SLACK_INTEL_ASSIGN_OR_RETURN(s3::ObjectHead head,
                                 client.HeadObject(s_.bucket, s_.prefix + remote.key));
    same = head.ContentMd5Hex() == digest.md5_hex;
  }
  const uint64_t part_size =
      digest.multipart_etag.empty()
          ? 0
          : s3::EffectivePartSize(file.stamp.size_bytes, s_.upload.part_size_bytes);
  item.entry = ManifestEntry{file.stamp, digest.md5_hex, digest.multipart_etag, part_size,
                             same ? remote.etag : ""};
  return same;
}

Status SyncRun::CheckDeletes() const {
  const size_t deletes = deletes_.size(), local_files = local_count_,
               remote_objects = remote_count_;
  if (deletes == 0) return Status::OK();
  const size_t source_count = push() ? local_files : remote_objects;
  const size_t destination_count = push() ? remote_objects : local_files;
  const std::string source = push() ? s_.cache_path.string() : Url("");
  const std::string destination = push() ? Url("") : s_.cache_path.string();
  if (source_count == 0) {
    return Status::InvalidArgument(
        fmt::format("refusing --delete: {} holds no files, which would delete everything in {}",
                    source, destination));
  }
  const uint64_t limit = s_.max_delete.value_or(destination_count / 2);
  if (deletes > limit) {
    return Status::InvalidArgument(
        fmt::format("refusing --delete: it would delete {} of the {} files in {} (limit {}); pass "
                    "--max-delete {} if that is intended",
                    deletes, destination_count, destination, limit, deletes));
  }
  return Status::OK();
}

bool SyncRun::Upload(s3::Client& client, Item& item) {
  TransferSlot slot(transfer_slots_);
  const LocalFile& file = *item.local;
  const std::filesystem::path path = LocalPath(CacheRelativePath(file));
  s3::UploadOptions upload = s_.upload;
  upload.put.content_type = ContentType(file.key);
  upload.put.md5_metadata = true;
  upload.on_multipart_created = [&](const std::string& upload_id) {
    journal_.Record(s_.prefix + file.key, upload_id);
  };
  auto put = s3::UploadFile(client, options_, s_.bucket, s_.prefix + file.key, path, upload);
  if (!put.ok()) {
    Fail({SyncEvent::Kind::kUploadFailed, false, Display(CacheRelativePath(file)), Url(file.key),
          file.stamp.size_bytes, put.status().message()});
    return false;
  }
  // The hashes describe the listed version only if the file did not change while uploading.
  if (auto now = StatFile(path); now.ok() && *now == file.stamp) {
    item.entry = ManifestEntry{file.stamp, put->md5_hex, "", 0, put->etag};
  }
  Transferred(file.stamp.size_bytes);
  Emit({SyncEvent::Kind::kUpload, false, Display(CacheRelativePath(file)), Url(file.key),
        file.stamp.size_bytes, ""});
  return true;
}

void SyncRun::Download(s3::Client& client, Item& item) {
  TransferSlot slot(transfer_slots_);
  const s3::ObjectSummary& object = *item.remote;
  const std::string relative = *CacheRelativePathForKey(object.key);  // checked when listed
  const std::filesystem::path path = LocalPath(relative);
  const std::filesystem::path temp = TempPathFor(path, "download");
  auto fail = [&](const std::string& why) {
    std::error_code ignored;
    std::filesystem::remove(temp, ignored);
    Fail({SyncEvent::Kind::kDownloadFailed, false, Url(object.key), Display(relative),
          object.size_bytes, why});
  };
  std::error_code error;
  std::filesystem::create_directories(path.parent_path(), error);
  if (error) return fail(error.message());
  // A folder in the cache that is a symbolic link could lead outside it.
  const auto parent = std::filesystem::canonical(path.parent_path(), error);
  if (error || !parent.native().starts_with(canonical_root_.native())) {
    return fail("its folder leads outside the cache (a symbolic link?)");
  }
  auto head = client.GetObject(s_.bucket, s_.prefix + object.key, temp, object.size_bytes);
  if (!head.ok()) return fail(head.status().message());
  auto md5 = Md5FileRange(temp.string(), 0, std::filesystem::file_size(temp, error));
  if (!md5.ok()) return fail(md5.status().message());
  const std::string md5_hex = HexEncode(*md5);
  if (const std::string expected = head->ContentMd5Hex();
      !expected.empty() && expected != md5_hex) {
    return fail(
        fmt::format("the downloaded bytes have MD5 {}, the object says {}", md5_hex, expected));
  }
  SetMtime(temp, object.last_modified);
  std::filesystem::rename(temp, path, error);
  if (error) return fail(error.message());
  if (auto stamp = StatFile(path); stamp.ok()) {
    item.entry = ManifestEntry{*stamp, md5_hex, "", 0, head->etag};
    Transferred(stamp->size_bytes);
  }
  Emit({SyncEvent::Kind::kDownload, false, Url(object.key), Display(relative), object.size_bytes,
        ""});
}

void SyncRun::DeleteRemote(s3::Client& client) {
  for (size_t start = 0; start < deletes_.size(); start += 1000) {
    std::vector<std::string> keys;
    for (size_t i = start; i < std::min(deletes_.size(), start + 1000); ++i)
      keys.push_back(s_.prefix + deletes_[i].key());
    auto failures = client.DeleteObjects(s_.bucket, keys);
    if (!failures.ok()) {
      for (const std::string& key : keys) {
        Fail({SyncEvent::Kind::kDeleteFailed, false, "", s3::S3Url(s_.bucket, key), 0,
              failures.status().message()});
      }
      continue;
    }
    std::vector<std::string> failed_keys;
    for (const s3::DeleteFailure& f : *failures) {
      failed_keys.push_back(f.key);
      Fail({SyncEvent::Kind::kDeleteFailed, false, "", s3::S3Url(s_.bucket, f.key), 0,
            f.message.empty() ? f.code : f.code + ": " + f.message});
    }
    for (const std::string& key : keys) {
      if (std::find(failed_keys.begin(), failed_keys.end(), key) != failed_keys.end()) continue;
      Emit({SyncEvent::Kind::kDelete, false, "", s3::S3Url(s_.bucket, key), 0, ""});
      ++deleted_;
    }
  }
}

void SyncRun::DeleteLocal() {
  for (const Item& item : deletes_) {
    const std::filesystem::path path = LocalPath(CacheRelativePath(*item.local));
    std::error_code error;
    std::filesystem::remove(path, error);
    if (error) {
      Fail({SyncEvent::Kind::kDeleteFailed, false, "", Display(CacheRelativePath(*item.local)), 0,
            error.message()});
      continue;
    }
    // Tidy partition folders left empty, up to the cache folder.
    for (auto dir = path.parent_path(); dir.has_relative_path() && dir != s_.cache_path;
         dir = dir.parent_path()) {
      if (!std::filesystem::is_empty(dir, error) || error) break;
      std::filesystem::remove(dir, error);
    }
    ++deleted_;
    Emit({SyncEvent::Kind::kDelete, false, "", Display(CacheRelativePath(*item.local)), 0, ""});
  }
}

Result<SyncSummary> SyncRun::Run() {
  std::error_code error;
  if (!push() && !s_.dry_run && !std::filesystem::exists(s_.cache_path, error)) {
    std::filesystem::create_directories(s_.cache_path, error);  // a new machine's first pull
    if (error) {
      return Status::IOError(
          fmt::format("cannot create {}: {}", s_.cache_path.string(), error.message()));
    }
  }
  // The listing runs on its own connections while the cache is walked. It goes first: the
  // server's answer is what a small sync waits for longest.
  listing_ = std::make_unique<store::S3Listing>(
      options_, s_.bucket, s_.prefix,
      ManifestReader::SampleKeys(manifest_path_, s_.listing_range_keys), s_.concurrency);
  if (push() || std::filesystem::exists(s_.cache_path, error)) {
    // The folder index is the cache's, shared by every destination (the walk is the same).
    const store::FolderIndexOptions index{manifest_path_.parent_path(), !s_.dry_run};
    SLACK_INTEL_RETURN_IF_ERROR(CheckCacheFolder(s_.cache_path));
    SLACK_INTEL_ASSIGN_OR_RETURN(std::unique_ptr<store::LocalWalker> walker,
                                 store::LocalWalker::Open(s_.cache_path, kRawFolder, index));
    // Marked before anything goes up; cleared once the manifest holds all this run uploaded.
    const bool last_run_unfinished =
        push() && !s_.dry_run && MarkManifestUnfinished(manifest_path_);
    StartEarlyUploads(last_run_unfinished);
    store::LocalWalker* counts = walker.get();
    walk_ = std::make_unique<WalkAhead>(
        std::move(walker), kWalkAheadFiles, [this, counts](const LocalFile* file) {
          if (file) return ConsiderEarly(*file);
          spdlog::debug("cache walked in {:.3f} s: {} folders read, {} unchanged (folder index)",
                        Seconds(), counts->folders_read(), counts->folders_reused());
        });
  }
  canonical_root_ = std::filesystem::canonical(s_.cache_path, error);

  s3::Client client(options_);
  if (!s_.dry_run) {
    SLACK_INTEL_ASSIGN_OR_RETURN(const int aborted, journal_.AbortLeftovers(client, s_.bucket));
    if (aborted > 0) spdlog::info("aborted {} unfinished multipart upload(s)", aborted);
    manifest_.emplace(manifest_path_);  // written from its first change on
  }
  recorded_ = std::make_unique<ManifestReader>(manifest_path_);
  SLACK_INTEL_RETURN_IF_ERROR(FillLocal());
  SLACK_INTEL_RETURN_IF_ERROR(FillRemote());

  std::vector<Item> window;
  // Keys are planned and settled a window at a time, in key order: memory holds a window, not
  // the cache, and each window still keeps every worker busy.
  const size_t window_keys = std::max<size_t>(s_.window_keys, 1);
  window.reserve(window_keys);  // `work` points into it
  for (bool more = true; more;) {
    window.clear();
    std::vector<Item*> work, early_work;
    while (window.size() < window_keys) {
      Item& item = window.emplace_back();
      SLACK_INTEL_ASSIGN_OR_RETURN(more, NextItem(item));
      if (!more) {
        window.pop_back();
        break;
      }
      Plan(item);
      if (item.ignored) continue;
      if (item.early && item.early->uploading) {
        early_work.push_back(&item);  // its uploader does the work: a worker would only wait
      } else if (item.kind == ActionKind::kCompare || item.kind == ActionKind::kTransfer) {
        work.push_back(&item);
      }
    }
    ParallelFor(
        work.size(), s_.concurrency, [&] { return s3::Client(options_); },
        [&](s3::Client& worker, size_t i) { Settle(worker, *work[i]); });
    for (Item* item : early_work) AwaitEarly(*item);
    // Stopped before the manifest is written: the mark it leaves makes the next run check
    // what this one uploaded instead of sending it again.
    if (Status down = ServerDown(); !down.ok()) {
      return Status(down.code(), down.message() + "; rerun once it answers (what went up stays)")
          .WithContext(fmt::format("sync to {} stopped", Url("")));
    }
    Record(window);
    for (Item& item : window) {
      if (!item.ignored && item.kind == ActionKind::kDelete) deletes_.push_back(std::move(item));
    }
  }
  StopEarlyUploads();  // every one was waited for by the merge
  // A refused --delete still lets the run keep what it learnt; it fails at the end.
  const Status deletes_allowed = CheckDeletes();
  if (s_.dry_run && deletes_allowed.ok()) {
    for (const Item& item : deletes_) {
      Emit({SyncEvent::Kind::kDelete, true, "",
            push() ? Url(item.key()) : Display(CacheRelativePath(*item.local)), 0, ""});
      ++deleted_;
    }
  } else if (!s_.dry_run) {
    // Deletes only after every transfer went through: a failed run never removes anything.
    if (failed_ == 0 && deletes_allowed.ok()) {
      if (push()) {
        DeleteRemote(client);
      } else {
        DeleteLocal();
      }
    }
    if (failed_ == 0) journal_.Clear();
    // Rewritten only when something changed: a no-op sync leaves the file as it was.
    if (manifest_ && recorded_->Dropped(true) > 0) {
      if (Status written = manifest_->Diverge(); !written.ok()) ManifestFailed(written);
    }
    if (manifest_ && manifest_->changed()) {
      if (Status saved = manifest_->Commit(); !saved.ok()) ManifestFailed(saved);
    }
    if (manifest_) ClearManifestUnfinished(manifest_path_);
  }
  SLACK_INTEL_RETURN_IF_ERROR(deletes_allowed);
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

}  // namespace

Result<SyncSummary> RunSync(const SyncSettings& settings, const s3::ClientOptions& options,
                            const std::function<void(const SyncEvent&)>& report,
                            SyncProgress* progress) {
  SyncRun run(settings, options, report, progress);
  return run.Run();
}

}  // namespace slack_intel::sync
