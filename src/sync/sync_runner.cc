#include "sync/sync_runner.h"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <mutex>
#include <thread>
#include <vector>

#include "aws/crypto.h"
#include "sync/local_files.h"
#include "sync/plan.h"

namespace slack_intel::sync {
namespace {

// The content MD5 and, for files that go up in parts, the multipart ETag our part size gives.
Result<LocalEntry> Describe(const LocalFile& file, const s3::UploadOptions& upload) {
  LocalEntry entry{file, "", ""};
  SLACK_INTEL_ASSIGN_OR_RETURN(aws::FileDigests whole,
                               aws::DigestFileRange(file.path.string(), 0, file.size_bytes));
  entry.md5_hex = aws::HexEncode(whole.md5);
  if (file.size_bytes >= upload.multipart_threshold_bytes) {
    const uint64_t part_size = s3::EffectivePartSize(file.size_bytes, upload.part_size_bytes);
    std::vector<s3::CompletedPart> parts;
    for (uint64_t offset = 0; offset < file.size_bytes; offset += part_size) {
      SLACK_INTEL_ASSIGN_OR_RETURN(
          aws::FileDigests part,
          aws::DigestFileRange(file.path.string(), offset,
                               std::min(part_size, file.size_bytes - offset)));
      parts.push_back({static_cast<int>(parts.size() + 1), aws::HexEncode(part.md5)});
    }
    entry.multipart_etag = s3::MultipartETag(parts);
  }
  return entry;
}

Result<std::vector<s3::ObjectSummary>> ListRemote(s3::Client& client, const SyncSettings& s) {
  std::vector<s3::ObjectSummary> objects;
  std::string token;
  do {
    auto page = client.ListObjectsV2(s.bucket, s.prefix, token);
    if (!page.ok()) {
      // The user guide's heading; the reason follows (an expired SSO login already says
      // "AWS credentials expired ... run aws sso login --profile P").
      return Status(page.status().code(), fmt::format("Cannot access S3 bucket {}: {}", s.bucket,
                                                      page.status().message()));
    }
    for (s3::ObjectSummary& o : page->objects) {
      o.key = o.key.substr(std::min(o.key.size(), s.prefix.size()));
      objects.push_back(std::move(o));
    }
    token = page->is_truncated ? page->next_continuation_token : "";
  } while (!token.empty());
  return objects;
}

std::string ContentType(const std::string& key) {
  return key.ends_with(".parquet") ? "application/vnd.apache.parquet" : "application/octet-stream";
}

}  // namespace

std::string NormalizePrefix(std::string prefix) {
  while (prefix.starts_with("/")) prefix.erase(0, 1);
  if (!prefix.empty() && !prefix.ends_with("/")) prefix += '/';
  return prefix;
}

std::string_view SyncEvent::KindName() const {
  switch (kind) {
    case Kind::kUpload:
      return "upload";
    case Kind::kDelete:
      return "delete";
    case Kind::kInvalidFile:
      return "invalid_file";
    case Kind::kUploadFailed:
      return "upload_failed";
    case Kind::kDeleteFailed:
      return "delete_failed";
  }
  return "unknown";
}

std::string SyncEvent::ToText() const {
  const std::string dry = dry_run ? "(dryrun) " : "";
  switch (kind) {
    case Kind::kUpload:
      return fmt::format("{}upload: {} to {}", dry, source, destination);
    case Kind::kDelete:
      return fmt::format("{}delete: {}", dry, destination);
    case Kind::kInvalidFile:
      return fmt::format(
          "skip: {} is not a complete Parquet file (truncated or still being written)", source);
    case Kind::kUploadFailed:
      return fmt::format("upload failed: {} to {}: {}", source, destination, error);
    case Kind::kDeleteFailed:
      return fmt::format("delete failed: {}: {}", destination, error);
  }
  return "";
}

Result<SyncSummary> RunSync(const SyncSettings& s, const s3::ClientOptions& options,
                            const std::function<void(const SyncEvent&)>& report) {
  const auto started = std::chrono::steady_clock::now();
  std::mutex report_mutex;  // serialises report() across workers
  auto emit = [&](SyncEvent event) {
    std::lock_guard lock(report_mutex);
    report(event);
  };
  auto url = [&](const std::string& key) { return s3::S3Url(s.bucket, s.prefix + key); };

  SLACK_INTEL_ASSIGN_OR_RETURN(std::vector<LocalFile> files, ListCacheFiles(s.cache_path));
  SyncSummary summary;
  std::vector<LocalEntry> local;
  local.reserve(files.size());
  for (const LocalFile& file : files) {
    if (file.key.ends_with(".parquet") && !HasParquetFooter(file.path, file.size_bytes)) {
      emit({SyncEvent::Kind::kInvalidFile, false, file.display_path, "", file.size_bytes, ""});
      ++summary.failed;
      continue;
    }
    SLACK_INTEL_ASSIGN_OR_RETURN(LocalEntry entry, Describe(file, s.upload));
    local.push_back(std::move(entry));
  }

  s3::Client client(options);
  SLACK_INTEL_ASSIGN_OR_RETURN(std::vector<s3::ObjectSummary> remote, ListRemote(client, s));
  const std::vector<Action> plan = MakePlan(local, remote, s.delete_removed);

  std::vector<const Action*> uploads, deletes;
  for (const Action& a : plan) {
    if (a.kind == ActionKind::kUpload) uploads.push_back(&a);
    if (a.kind == ActionKind::kDelete) deletes.push_back(&a);
    if (a.kind == ActionKind::kSkip) ++summary.skipped;
  }
  if (!deletes.empty()) {
    if (files.empty()) {
      return Status::InvalidArgument(fmt::format(
          "refusing --delete: {} holds no files, which would delete everything under {}",
          s.cache_path.string(), url("")));
    }
    const uint64_t limit = s.max_delete.value_or(remote.size() / 2);
    if (deletes.size() > limit) {
      return Status::InvalidArgument(
          fmt::format("refusing --delete: it would delete {} of the {} objects under {} (limit "
                      "{}); pass --max-delete {} "
                      "if that is intended",
                      deletes.size(), remote.size(), url(""), limit, deletes.size()));
    }
  }

  if (s.dry_run) {
    for (const Action* a : uploads)
      emit({SyncEvent::Kind::kUpload, true, a->local->file.display_path, url(a->key),
            a->local->file.size_bytes, ""});
    for (const Action* a : deletes) emit({SyncEvent::Kind::kDelete, true, "", url(a->key), 0, ""});
    summary.uploaded = uploads.size();  // what would happen
    for (const Action* a : uploads) summary.bytes_uploaded += a->local->file.size_bytes;
    summary.deleted = deletes.size();
    summary.elapsed_seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    return summary;
  }

  std::atomic<size_t> next{0};
  std::atomic<uint64_t> uploaded{0}, bytes{0}, failed{0};
  auto worker = [&] {
    s3::Client worker_client(options);  // one connection per worker
    for (size_t i = next++; i < uploads.size(); i = next++) {
      const Action& a = *uploads[i];
      s3::UploadOptions upload = s.upload;
      upload.put.content_type = ContentType(a.key);
      auto put = s3::UploadFile(worker_client, options, s.bucket, s.prefix + a.key,
                                a.local->file.path, upload);
      if (!put.ok()) {
        ++failed;
        emit({SyncEvent::Kind::kUploadFailed, false, a.local->file.display_path, url(a.key),
              a.local->file.size_bytes, put.status().message()});
        continue;
      }
      ++uploaded;
      bytes += a.local->file.size_bytes;
      emit({SyncEvent::Kind::kUpload, false, a.local->file.display_path, url(a.key),
            a.local->file.size_bytes, ""});
    }
  };
  {
    std::vector<std::jthread> workers;
    const int threads =
        std::clamp<int>(s.concurrency, 1, std::max<int>(1, static_cast<int>(uploads.size())));
    for (int i = 0; i < threads && !uploads.empty(); ++i) workers.emplace_back(worker);
  }
  summary.uploaded = uploaded;
  summary.bytes_uploaded = bytes;
  summary.failed += failed;

  // Deletes only after every upload went through: a failed run never removes anything.
  if (summary.failed == 0) {
    for (size_t start = 0; start < deletes.size(); start += 1000) {
      std::vector<std::string> keys;
      for (size_t i = start; i < std::min(deletes.size(), start + 1000); ++i)
        keys.push_back(s.prefix + deletes[i]->key);
      auto failures = client.DeleteObjects(s.bucket, keys);
      if (!failures.ok()) {
        summary.failed += keys.size();
        for (const std::string& key : keys) {
          emit({SyncEvent::Kind::kDeleteFailed, false, "", s3::S3Url(s.bucket, key), 0,
                failures.status().message()});
        }
        continue;
      }
      std::vector<std::string> failed_keys;
      for (const s3::DeleteFailure& f : *failures) {
        failed_keys.push_back(f.key);
        emit({SyncEvent::Kind::kDeleteFailed, false, "", s3::S3Url(s.bucket, f.key), 0,
              f.message.empty() ? f.code : f.code + ": " + f.message});
      }
      for (const std::string& key : keys) {
        if (std::find(failed_keys.begin(), failed_keys.end(), key) != failed_keys.end()) continue;
        emit({SyncEvent::Kind::kDelete, false, "", s3::S3Url(s.bucket, key), 0, ""});
        ++summary.deleted;
      }
      summary.failed += failed_keys.size();
    }
  }
  summary.elapsed_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return summary;
}

}  // namespace slack_intel::sync
