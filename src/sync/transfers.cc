#include "sync/transfers.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <vector>

#include "store/file_stamp.h"
#include "util/digest.h"

namespace slack_intel::sync {
namespace {

// Holds one of the copy slots while a copy runs.
class Slot {
 public:
  explicit Slot(std::counting_semaphore<>& slots) : slots_(slots) { slots_.acquire(); }
  ~Slot() { slots_.release(); }
  Slot(const Slot&) = delete;
  Slot& operator=(const Slot&) = delete;

 private:
  std::counting_semaphore<>& slots_;
};

}  // namespace

Transfers::Transfers(SyncContext& context, MultipartJournal& journal)
    : context_(context), journal_(journal), slots_(std::max(context.settings().concurrency, 1)) {}

void Transfers::Settle(Item& item) {
  if (item.kind == ActionKind::kCompare) {
    auto same = SameContent(item);
    if (!same.ok()) spdlog::warn("{}: {}; copying it", item.key(), same.status().message());
    if (same.ok() && *same) {
      item.kind = ActionKind::kSkip;
      context_.Skipped();
      return;
    }
    item.kind = ActionKind::kTransfer;
    context_.Planned(context_.SourceOf(item)->size_bytes);
  }
  if (item.kind != ActionKind::kTransfer) return;
  if (!context_.settings().dry_run) {
    Copy(item);
    return;
  }
  const store::ObjectInfo& source = *context_.SourceOf(item);
  context_.Emit({context_.transfer_kind(), true, context_.source().Describe(source.key),
                 context_.destination().Describe(source.key), source.size_bytes, ""});
  context_.WouldTransfer(source.size_bytes);
}

bool Transfers::Copy(Item& item) {
  Slot slot(slots_);
  const store::ObjectInfo& source = *context_.SourceOf(item);
  const std::string& key = source.key;
  store::ObjectStore& from = context_.source();
  store::ObjectStore& to = context_.destination();
  auto fail = [&](const Status& status) {
    context_.Fail({context_.transfer_failed_kind(), false, from.Describe(key), to.Describe(key),
                   source.size_bytes, status.message()});
    return false;
  };
  // Whichever side is the folder hands out the file: the other store puts it or gets into it.
  Result<store::Stored> stored = Status::Internal("neither side of the sync is a folder");
  std::filesystem::path file;
  if (store::LocalFolder* folder = from.AsLocalFolder()) {
    file = folder->PathOf(key);
    store::PutRequest request;
    request.on_upload_started = [&](const std::string& upload_id) {
      journal_.Record(key, upload_id);
    };
    stored = to.PutFile(key, file, request);
  } else if (store::LocalFolder* into = to.AsLocalFolder()) {
    auto path = into->PrepareWrite(key);
    if (!path.ok()) return fail(path.status());
    file = *path;
    stored = from.GetFile(source, file);
  }
  if (!stored.ok()) return fail(stored.status());
  // The hashes describe the cache file's version if it is the one copied: unchanged since it
  // was listed (it was the source), or just written (it was the destination).
  auto now = store::StatFile(context_.cache_folder().PathOf(key));
  if (now.ok() && (!context_.cache_is_source() || *now == item.cache->stamp))
    item.entry = ManifestEntry{*now, stored->md5_hex, "", 0, stored->etag};
  context_.Transferred(source.size_bytes);
  context_.Emit({context_.transfer_kind(), false, from.Describe(key), to.Describe(key),
                 source.size_bytes, ""});
  return true;
}

Result<LocalDigest> Transfers::Digest(const Item& item, bool with_multipart_etag) {
  const store::ObjectInfo& file = *item.cache;
  const uint64_t size = file.size_bytes;
  const uint64_t part_size = context_.bucket().PartSizeFor(size);
  LocalDigest digest;
  const std::optional<ManifestEntry>& recorded = item.recorded;
  if (recorded && recorded->stamp == file.stamp) {  // the same file version: reuse its hashes
    digest.md5_hex = recorded->md5_hex;
    if (recorded->part_size == part_size) digest.multipart_etag = recorded->multipart_etag;
  } else if (item.early) {  // the walk read it already
    digest.md5_hex = item.early->md5_hex;
  }
  const std::string path = context_.cache_folder().PathOf(file.key).string();
  if (digest.md5_hex.empty()) {
    SLACK_INTEL_ASSIGN_OR_RETURN(std::string md5, Md5FileRange(path, 0, size));
    digest.md5_hex = HexEncode(md5);
    context_.Hashed(1, size);
  }
  if (with_multipart_etag && part_size > 0 && digest.multipart_etag.empty()) {
    context_.Hashed(0, size);
    std::vector<std::string> parts;
    for (uint64_t offset = 0; offset < size; offset += part_size) {
      SLACK_INTEL_ASSIGN_OR_RETURN(std::string md5,
                                   Md5FileRange(path, offset, std::min(part_size, size - offset)));
      parts.push_back(std::move(md5));
    }
    digest.multipart_etag = store::MultipartEtag(parts);
  }
  return digest;
}

Result<bool> Transfers::SameContent(Item& item) {
  const store::ObjectInfo& remote = *item.bucket;
  const std::optional<ManifestEntry>& known = item.recorded;
  const bool remote_is_multipart = remote.etag.find('-') != std::string::npos;
  SLACK_INTEL_ASSIGN_OR_RETURN(LocalDigest digest, Digest(item, remote_is_multipart));
  const std::string known_md5 = known ? known->md5_hex : "";
  const std::string known_etag = known ? known->remote_etag : "";
  bool same = ContentMatches(digest, remote, known_md5, known_etag);
  if (!same && !(known_etag == remote.etag && !known_md5.empty())) {
    SLACK_INTEL_ASSIGN_OR_RETURN(store::ObjectHead head, context_.bucket().Stat(remote.key));
    same = head.content_md5_hex == digest.md5_hex;
  }
  const uint64_t part_size =
      digest.multipart_etag.empty() ? 0 : context_.bucket().PartSizeFor(item.cache->size_bytes);
  item.entry = ManifestEntry{item.cache->stamp, digest.md5_hex, digest.multipart_etag, part_size,
                             same ? remote.etag : ""};
  return same;
}

}  // namespace slack_intel::sync
