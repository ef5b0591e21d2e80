#include "sync/sync_runner.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>

#include <algorithm>
#include <chrono>
#include <mutex>
#include <string_view>
#include <system_error>
#include <unordered_set>
#include <vector>

#include "aws/crypto.h"
#include "sync/local_files.h"
#include "sync/manifest.h"
#include "sync/multipart_journal.h"
#include "sync/remote_listing.h"
#include "util/atomic_file.h"
#include "util/parallel_for.h"
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

// One run of RunSync; the members are what its workers share.
class SyncRun {
 public:
  SyncRun(const SyncSettings& settings, const s3::ClientOptions& options,
          const std::function<void(const SyncEvent&)>& report, SyncProgress* progress)
      : s_(settings),
        options_(options),
        report_(report),
        progress_(progress ? progress : &own_progress_),
        manifest_path_(Manifest::PathFor(s_.cache_path, options_.endpoint_url, s_.bucket, s_.prefix,
                                         "manifest")),
        journal_(Manifest::PathFor(s_.cache_path, options_.endpoint_url, s_.bucket, s_.prefix,
                                   "uploads")) {}

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
    Emit(std::move(event));
  }

  Result<std::vector<LocalFile>> ListLocal();
  Result<std::vector<s3::ObjectSummary>> ListRemoteSide(const std::vector<LocalFile>& local);
  Result<LocalDigest> Digest(const LocalFile& file, bool with_multipart_etag);
  Result<bool> SameContent(s3::Client& client, const Action& action);
  Status CheckDeletes(size_t deletes, size_t local_files, size_t remote_objects) const;
  void Upload(s3::Client& client, const LocalFile& file);
  void Download(s3::Client& client, const s3::ObjectSummary& object);
  void DeleteRemote(s3::Client& client, const std::vector<const Action*>& deletes);
  void DeleteLocal(const std::vector<const Action*>& deletes);
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
  Manifest manifest_;
  MultipartJournal journal_;
  std::filesystem::path canonical_root_;  // pulls never write outside it
  std::atomic<uint64_t> transferred_{0}, bytes_transferred_{0}, skipped_{0}, deleted_{0},
      failed_{0}, hashed_files_{0}, hashed_bytes_{0};
};

Result<std::vector<LocalFile>> SyncRun::ListLocal() {
  SLACK_INTEL_ASSIGN_OR_RETURN(std::vector<LocalFile> all, ListCacheFiles(s_.cache_path));
  std::vector<LocalFile> files;
  for (LocalFile& file : all) {
    if (!s_.filter.Includes(file.key)) continue;
    // A version the manifest knows was complete when it was last synced.
    const auto known = manifest_.Find(file.key);
    const bool checked_before = known && known->stamp == file.stamp;
    if (push() && file.key.ends_with(".parquet") && !checked_before &&
        !HasParquetFooter(LocalPath(file.relative()), file.stamp.size_bytes)) {
      Fail({SyncEvent::Kind::kInvalidFile, false, Display(file.relative()), "",
            file.stamp.size_bytes, ""});
      continue;
    }
    files.push_back(std::move(file));
  }
  return files;
}

Result<std::vector<s3::ObjectSummary>> SyncRun::ListRemoteSide(
    const std::vector<LocalFile>& local) {
  std::vector<std::string> expected;
  expected.reserve(local.size());
  for (const LocalFile& file : local) expected.push_back(file.key);
  SLACK_INTEL_ASSIGN_OR_RETURN(
      std::vector<s3::ObjectSummary> all,
      ListRemote(options_, s_.bucket, s_.prefix, expected, s_.concurrency));
  std::vector<s3::ObjectSummary> objects;
  for (s3::ObjectSummary& object : all) {
    if (!s_.filter.Includes(object.key)) continue;
    if (!push()) {
      // A key that cannot be a cache file is reported, and neither downloaded nor taken as
      // "missing" (which could delete a local file).
      if (auto relative = CacheRelativePathForKey(object.key); !relative.ok()) {
        Fail({SyncEvent::Kind::kInvalidKey, false, Url(object.key), "", object.size_bytes,
              relative.status().message()});
        continue;
      }
    }
    objects.push_back(std::move(object));
  }
  return objects;
}

Result<LocalDigest> SyncRun::Digest(const LocalFile& file, bool with_multipart_etag) {
  const uint64_t size = file.stamp.size_bytes;
  const bool multipart = size >= std::max<uint64_t>(s_.upload.multipart_threshold_bytes, 1);
  const uint64_t part_size = multipart ? s3::EffectivePartSize(size, s_.upload.part_size_bytes) : 0;
  LocalDigest digest;
  const std::optional<ManifestEntry> recorded = manifest_.Find(file.key);
  if (recorded && recorded->stamp == file.stamp) {  // the same file version: reuse its hashes
    digest.md5_hex = recorded->md5_hex;
    if (recorded->part_size == part_size) digest.multipart_etag = recorded->multipart_etag;
  }
  const std::string path = LocalPath(file.relative()).string();
  if (digest.md5_hex.empty()) {
    SLACK_INTEL_ASSIGN_OR_RETURN(std::string md5, aws::Md5FileRange(path, 0, size));
    digest.md5_hex = aws::HexEncode(md5);
    ++hashed_files_;
    hashed_bytes_ += size;
  }
  if (with_multipart_etag && multipart && digest.multipart_etag.empty()) {
    hashed_bytes_ += size;
    std::vector<s3::CompletedPart> parts;
    for (uint64_t offset = 0; offset < size; offset += part_size) {
      SLACK_INTEL_ASSIGN_OR_RETURN(
          std::string md5, aws::Md5FileRange(path, offset, std::min(part_size, size - offset)));
      parts.push_back({static_cast<int>(parts.size() + 1), aws::HexEncode(md5)});
    }
    digest.multipart_etag = s3::MultipartETag(parts);
  }
  return digest;
}

// Settles a same-size file: the listing's ETag (or the one the manifest saw with this content)
// proves it unchanged; an ETag never seen before is checked against the MD5 the object
// carries in its metadata, with one HEAD.
Result<bool> SyncRun::SameContent(s3::Client& client, const Action& action) {
  const LocalFile& file = *action.local;
  const s3::ObjectSummary& remote = *action.remote;
  const std::optional<ManifestEntry> known = manifest_.Find(file.key);
  if (known && known->stamp == file.stamp && !known->md5_hex.empty() && !remote.etag.empty() &&
      known->remote_etag == remote.etag) {
    return true;  // this file version was last seen as exactly this object: no I/O at all
  }
  const bool remote_is_multipart = remote.etag.find('-') != std::string::npos;
  SLACK_INTEL_ASSIGN_OR_RETURN(LocalDigest digest, Digest(file, remote_is_multipart));
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
  manifest_.Set(file.key, {file.stamp, digest.md5_hex, digest.multipart_etag, part_size,
                           same ? remote.etag : ""});
  return same;
}

Status SyncRun::CheckDeletes(size_t deletes, size_t local_files, size_t remote_objects) const {
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

void SyncRun::Upload(s3::Client& client, const LocalFile& file) {
  const std::filesystem::path path = LocalPath(file.relative());
  s3::UploadOptions upload = s_.upload;
  upload.put.content_type = ContentType(file.key);
  upload.put.md5_metadata = true;
  upload.on_multipart_created = [&](const std::string& upload_id) {
    journal_.Record(s_.prefix + file.key, upload_id);
  };
  auto put = s3::UploadFile(client, options_, s_.bucket, s_.prefix + file.key, path, upload);
  if (!put.ok()) {
    Fail({SyncEvent::Kind::kUploadFailed, false, Display(file.relative()), Url(file.key),
          file.stamp.size_bytes, put.status().message()});
    return;
  }
  // The hashes describe the listed version only if the file did not change while uploading.
  if (auto now = StatFile(path); now.ok() && *now == file.stamp) {
    manifest_.Set(file.key, {file.stamp, put->md5_hex, "", 0, put->etag});
  }
  Transferred(file.stamp.size_bytes);
  Emit({SyncEvent::Kind::kUpload, false, Display(file.relative()), Url(file.key),
        file.stamp.size_bytes, ""});
}

void SyncRun::Download(s3::Client& client, const s3::ObjectSummary& object) {
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
  auto head = client.GetObject(s_.bucket, s_.prefix + object.key, temp);
  if (!head.ok()) return fail(head.status().message());
  auto md5 = aws::Md5FileRange(temp.string(), 0, std::filesystem::file_size(temp, error));
  if (!md5.ok()) return fail(md5.status().message());
  const std::string md5_hex = aws::HexEncode(*md5);
  if (const std::string expected = head->ContentMd5Hex();
      !expected.empty() && expected != md5_hex) {
    return fail(
        fmt::format("the downloaded bytes have MD5 {}, the object says {}", md5_hex, expected));
  }
  SetMtime(temp, object.last_modified);
  std::filesystem::rename(temp, path, error);
  if (error) return fail(error.message());
  if (auto stamp = StatFile(path); stamp.ok()) {
    manifest_.Set(object.key, {*stamp, md5_hex, "", 0, head->etag});
    Transferred(stamp->size_bytes);
  }
  Emit({SyncEvent::Kind::kDownload, false, Url(object.key), Display(relative), object.size_bytes,
        ""});
}

void SyncRun::DeleteRemote(s3::Client& client, const std::vector<const Action*>& deletes) {
  for (size_t start = 0; start < deletes.size(); start += 1000) {
    std::vector<std::string> keys;
    for (size_t i = start; i < std::min(deletes.size(), start + 1000); ++i)
      keys.push_back(s_.prefix + deletes[i]->key());
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

void SyncRun::DeleteLocal(const std::vector<const Action*>& deletes) {
  for (const Action* action : deletes) {
    const std::filesystem::path path = LocalPath(action->local->relative());
    std::error_code error;
    std::filesystem::remove(path, error);
    if (error) {
      Fail({SyncEvent::Kind::kDeleteFailed, false, "", Display(action->local->relative()), 0,
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
    Emit({SyncEvent::Kind::kDelete, false, "", Display(action->local->relative()), 0, ""});
  }
}

Result<SyncSummary> SyncRun::Run() {
  const auto started = std::chrono::steady_clock::now();
  std::error_code error;
  if (!push() && !s_.dry_run && !std::filesystem::exists(s_.cache_path, error)) {
    std::filesystem::create_directories(s_.cache_path, error);  // a new machine's first pull
    if (error) {
      return Status::IOError(
          fmt::format("cannot create {}: {}", s_.cache_path.string(), error.message()));
    }
  }
  manifest_.Load(manifest_path_);
  std::vector<LocalFile> local;
  if (push() || std::filesystem::exists(s_.cache_path, error)) {
    SLACK_INTEL_ASSIGN_OR_RETURN(local, ListLocal());
  }
  canonical_root_ = std::filesystem::canonical(s_.cache_path, error);

  s3::Client client(options_);
  if (!s_.dry_run) {
    SLACK_INTEL_ASSIGN_OR_RETURN(const int aborted, journal_.AbortLeftovers(client, s_.bucket));
    if (aborted > 0) spdlog::info("aborted {} unfinished multipart upload(s)", aborted);
  }
  SLACK_INTEL_ASSIGN_OR_RETURN(std::vector<s3::ObjectSummary> remote, ListRemoteSide(local));
  std::vector<Action> plan = MakePlan(local, remote, {s_.direction, s_.compare, s_.delete_removed});

  // Same-size files: settle by content, in parallel (hashing is the cost).
  std::vector<Action*> compares;
  for (Action& a : plan) {
    if (a.kind == ActionKind::kCompare) compares.push_back(&a);
  }
  ParallelFor(
      compares.size(), s_.concurrency, [&] { return s3::Client(options_); },
      [&](s3::Client& worker, size_t i) {
        auto same = SameContent(worker, *compares[i]);
        if (!same.ok())
          spdlog::warn("{}: {}; copying it", compares[i]->key(), same.status().message());
        compares[i]->kind = same.ok() && *same ? ActionKind::kSkip : ActionKind::kTransfer;
      });

  std::vector<const Action*> transfers, deletes;
  for (const Action& a : plan) {
    if (a.kind == ActionKind::kTransfer) {
      transfers.push_back(&a);
      ++progress_->files_total;
      progress_->bytes_total += push() ? a.local->stamp.size_bytes : a.remote->size_bytes;
    }
    if (a.kind == ActionKind::kDelete) deletes.push_back(&a);
    if (a.kind == ActionKind::kSkip) ++skipped_;
  }
  SLACK_INTEL_RETURN_IF_ERROR(CheckDeletes(deletes.size(), local.size(), remote.size()));

  if (s_.dry_run) {
    for (const Action* a : transfers) {
      if (push()) {
        Emit({SyncEvent::Kind::kUpload, true, Display(a->local->relative()), Url(a->key()),
              a->local->stamp.size_bytes, ""});
      } else {
        Emit({SyncEvent::Kind::kDownload, true, Url(a->key()),
              Display(*CacheRelativePathForKey(a->key())), a->remote->size_bytes, ""});
      }
      ++transferred_;  // what would happen
      bytes_transferred_ += push() ? a->local->stamp.size_bytes : a->remote->size_bytes;
    }
    for (const Action* a : deletes) {
      Emit({SyncEvent::Kind::kDelete, true, "",
            push() ? Url(a->key()) : Display(a->local->relative()), 0, ""});
      ++deleted_;
    }
  } else {
    ParallelFor(
        transfers.size(), s_.concurrency, [&] { return s3::Client(options_); },
        [&](s3::Client& worker, size_t i) {
          if (push()) {
            Upload(worker, *transfers[i]->local);
          } else {
            Download(worker, *transfers[i]->remote);
          }
        });
    // Deletes only after every transfer went through: a failed run never removes anything.
    if (failed_ == 0) {
      if (push()) {
        DeleteRemote(client, deletes);
      } else {
        DeleteLocal(deletes);
      }
    }
    if (failed_ == 0) journal_.Clear();
    // Keep what we know of files this run saw or brought; other entries are dead weight.
    std::unordered_set<std::string_view> present;
    for (const LocalFile& file : local) present.insert(file.key);
    if (!push()) {
      for (const Action* a : transfers) present.insert(a->key());
    }
    manifest_.Retain([&](const std::string& key) { return present.count(key) > 0; });
    if (manifest_.dirty()) {
      if (Status saved = manifest_.Save(manifest_path_); !saved.ok()) {
        spdlog::warn("{} (the next run will hash files again)", saved.message());
      }
    }
  }
  SyncSummary summary;
  summary.transferred = transferred_;
  summary.bytes_transferred = bytes_transferred_;
  summary.skipped = skipped_;
  summary.deleted = deleted_;
  summary.failed = failed_;
  summary.hashed_files = hashed_files_;
  summary.hashed_bytes = hashed_bytes_;
  summary.elapsed_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return summary;
}

}  // namespace

std::string NormalizePrefix(std::string prefix) {
  while (prefix.starts_with("/")) prefix.erase(0, 1);
  if (!prefix.empty() && !prefix.ends_with("/")) prefix += '/';
  return prefix;
}

Result<SyncSummary> RunSync(const SyncSettings& settings, const s3::ClientOptions& options,
                            const std::function<void(const SyncEvent&)>& report,
                            SyncProgress* progress) {
  SyncRun run(settings, options, report, progress);
  return run.Run();
}

}  // namespace slack_intel::sync
