#include "store/s3_store.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>

#include <algorithm>
#include <chrono>
#include <system_error>

#include "store/checked_download.h"
#include "store/file_stamp.h"
#include "store/s3_listing.h"
#include "util/digest.h"
#include "util/time_format.h"

namespace slack_intel::store {
namespace {

namespace fs = std::filesystem;

constexpr size_t kKeysPerDelete = 1000;  // DeleteObjects' limit

int64_t NanosOf(Result<std::chrono::system_clock::time_point> time) {
  if (!time.ok()) return kUnknownTime;
  return std::chrono::duration_cast<std::chrono::nanoseconds>(time->time_since_epoch()).count();
}

ObjectInfo InfoOf(s3::ObjectSummary&& o) {
  const int64_t mtime_ns = NanosOf(ParseIso8601Utc(o.last_modified));
  return {std::move(o.key), o.size_bytes, mtime_ns, std::move(o.etag), FileStamp{}};
}

std::string ContentType(std::string_view key) {
  return key.ends_with(".parquet") ? "application/vnd.apache.parquet" : "application/octet-stream";
}

class S3StoreListing final : public ObjectListing {
 public:
  S3StoreListing(const s3::ClientOptions& options, const std::string& bucket,
                 const std::string& prefix, const ListOptions& list)
      : listing_(options, bucket, prefix, list.split_keys, list.concurrency) {}

  Result<std::optional<ObjectInfo>> Next() override {
    SLACK_INTEL_ASSIGN_OR_RETURN(std::optional<s3::ObjectSummary> object, listing_.Next());
    if (!object) return std::optional<ObjectInfo>();
    return std::optional<ObjectInfo>(InfoOf(std::move(*object)));
  }

 private:
  S3Listing listing_;
};

using Lease = ClientPool<s3::Client>::Lease;

}  // namespace

S3Store::S3Store(S3StoreOptions options)
    : options_(std::move(options)),
      pool_([this] { return std::make_unique<s3::Client>(options_.client); }) {}

S3Store::~S3Store() = default;

std::string S3Store::Describe(std::string_view key) const {
  return fmt::format("{}://{}/{}{}", options_.scheme, options_.bucket, options_.prefix, key);
}

Result<std::unique_ptr<ObjectListing>> S3Store::List(const ListOptions& options) {
  return std::unique_ptr<ObjectListing>(
      std::make_unique<S3StoreListing>(options_.client, options_.bucket, options_.prefix, options));
}

Result<ObjectHead> S3Store::Stat(std::string_view key) {
  Lease client(pool_);
  SLACK_INTEL_ASSIGN_OR_RETURN(
      s3::ObjectHead head, client->HeadObject(options_.bucket, options_.prefix + std::string(key)));
  ObjectInfo info{std::string(key), head.size_bytes, NanosOf(ParseHttpDate(head.last_modified)),
                  head.etag, FileStamp{}};
  return ObjectHead{std::move(info), head.ContentMd5Hex()};
}

Result<Stored> S3Store::PutFile(std::string_view key, const fs::path& file,
                                const PutRequest& request) {
  s3::UploadOptions upload = options_.upload;
  upload.put.content_type = request.content_type.empty() ? ContentType(key) : request.content_type;
  upload.put.md5_metadata = true;
  upload.on_multipart_created = request.on_upload_started;
  Lease client(pool_);
  SLACK_INTEL_ASSIGN_OR_RETURN(s3::PutResult put,
                               s3::UploadFile(*client, options_.client, options_.bucket,
                                              options_.prefix + std::string(key), file, upload));
  return Stored{std::move(put.etag), std::move(put.md5_hex)};
}

Result<Stored> S3Store::GetFile(const ObjectInfo& object, const fs::path& destination) {
  return DownloadChecked(object, destination, [&](const fs::path& temp) -> Result<Fetched> {
    Lease client(pool_);
    SLACK_INTEL_ASSIGN_OR_RETURN(
        s3::ObjectHead head,
        client->GetObject(options_.bucket, options_.prefix + object.key, temp, object.size_bytes));
    return Fetched{head.etag, head.ContentMd5Hex()};
  });
}

Result<std::vector<DeleteFailure>> S3Store::Delete(const std::vector<std::string>& keys) {
  std::vector<DeleteFailure> failures;
  Lease client(pool_);
  if (!options_.multi_object_delete) {
    for (const std::string& key : keys) {
      Status deleted = client->DeleteObject(options_.bucket, options_.prefix + key);
      if (!deleted.ok() && deleted.code() != StatusCode::kNotFound) {
        failures.push_back({key, deleted.message()});
      }
    }
    return failures;
  }
  for (size_t start = 0; start < keys.size(); start += kKeysPerDelete) {
    std::vector<std::string> batch;
    for (size_t i = start; i < std::min(keys.size(), start + kKeysPerDelete); ++i)
      batch.push_back(options_.prefix + keys[i]);
    auto failed = client->DeleteObjects(options_.bucket, batch);
    if (!failed.ok()) {
      // What earlier batches deleted stays deleted: this batch and the rest failed.
      for (size_t i = start; i < keys.size(); ++i)
        failures.push_back({keys[i], failed.status().message()});
      return failures;
    }
    for (const s3::DeleteFailure& f : *failed) {
      failures.push_back({f.key.substr(std::min(f.key.size(), options_.prefix.size())),
                          f.message.empty() ? f.code : f.code + ": " + f.message});
    }
  }
  return failures;
}

Status S3Store::AbortUpload(std::string_view key, std::string_view upload_id) {
  Lease client(pool_);
  return client->AbortMultipartUpload(options_.bucket, options_.prefix + std::string(key),
                                      std::string(upload_id));
}

Status S3Store::Reachable() const {
  return options_.client.server_health ? options_.client.server_health->Check() : Status::OK();
}

uint64_t S3Store::PartSizeFor(uint64_t size_bytes) const {
  if (size_bytes < std::max<uint64_t>(options_.upload.multipart_threshold_bytes, 1)) return 0;
  return s3::EffectivePartSize(size_bytes, options_.upload.part_size_bytes);
}

std::string MultipartEtag(const std::vector<std::string>& part_md5s) {
  std::vector<s3::CompletedPart> parts;
  for (const std::string& md5 : part_md5s)
    parts.push_back({static_cast<int>(parts.size() + 1), HexEncode(md5)});
  return s3::MultipartETag(parts);
}

}  // namespace slack_intel::store
