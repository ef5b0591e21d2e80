#include "store/azure_store.h"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>

#include "store/checked_download.h"
#include "util/digest.h"
#include "util/parallel_for.h"
#include "util/time_format.h"

namespace slack_intel::store {
namespace {

namespace fs = std::filesystem;

constexpr int kBlobsPerPage = 5000;  // List Blobs' largest page

int64_t NanosOf(Result<std::chrono::system_clock::time_point> time) {
  if (!time.ok()) return kUnknownTime;
  return std::chrono::duration_cast<std::chrono::nanoseconds>(time->time_since_epoch()).count();
}

std::string Md5Hex(const std::string& base64) {
  auto raw = Base64Decode(base64);
  return raw && raw->size() == 16 ? HexEncode(*raw) : "";
}

// The etag a listing shows: the content MD5 in hex when the blob has one, else Azure's ETag.
ObjectInfo InfoOf(std::string key, const azure::BlobProperties& p) {
  std::string md5 = Md5Hex(p.content_md5_base64);
  return {std::move(key), p.size_bytes, NanosOf(ParseHttpDate(p.last_modified)),
          md5.empty() ? p.etag : md5, FileStamp{}};
}

std::string ContentType(std::string_view key) {
  return key.ends_with(".parquet") ? "application/vnd.apache.parquet" : "application/octet-stream";
}

class AzureListing final : public ObjectListing {
 public:
  AzureListing(const AzureStoreOptions& options) : options_(options), client_(options.client) {}

  Result<std::optional<ObjectInfo>> Next() override {
    while (next_ == page_.blobs.size()) {
      if (done_) return std::optional<ObjectInfo>();
      auto page =
          client_.ListBlobs(options_.container, options_.prefix, page_.next_marker, kBlobsPerPage);
      if (!page.ok()) {
        return Status(page.status().code(), fmt::format("Cannot access Azure container {}: {}",
                                                        azure::AzUrl(options_.client.account.name,
                                                                     options_.container, ""),
                                                        page.status().message()));
      }
      page_ = std::move(*page);
      next_ = 0;
      done_ = page_.next_marker.empty();
    }
    azure::BlobItem& item = page_.blobs[next_++];
    return std::optional<ObjectInfo>(InfoOf(
        item.name.substr(std::min(item.name.size(), options_.prefix.size())), item.properties));
  }

 private:
  const AzureStoreOptions& options_;
  azure::BlobClient client_;
  azure::BlobPage page_;
  size_t next_ = 0;
  bool done_ = false;
};

using Lease = ClientPool<azure::BlobClient>::Lease;

}  // namespace

AzureStore::AzureStore(AzureStoreOptions options)
    : options_(std::move(options)),
      pool_([this] { return std::make_unique<azure::BlobClient>(options_.client); }) {}

AzureStore::~AzureStore() = default;

std::string AzureStore::Describe(std::string_view key) const {
  return azure::AzUrl(options_.client.account.name, options_.container,
                      options_.prefix + std::string(key));
}

Result<std::unique_ptr<ObjectListing>> AzureStore::List(const ListOptions&) {
  return std::unique_ptr<ObjectListing>(std::make_unique<AzureListing>(options_));
}

Result<ObjectHead> AzureStore::Stat(std::string_view key) {
  Lease client(pool_);
  SLACK_INTEL_ASSIGN_OR_RETURN(
      azure::BlobProperties p,
      client->GetProperties(options_.container, options_.prefix + std::string(key)));
  return ObjectHead{InfoOf(std::string(key), p), Md5Hex(p.content_md5_base64)};
}

Result<Stored> AzureStore::PutFile(std::string_view key, const fs::path& file,
                                   const PutRequest& request) {
  const std::string blob = options_.prefix + std::string(key);
  const std::string type = request.content_type.empty() ? ContentType(key) : request.content_type;
  std::error_code error;
  const uint64_t size = fs::file_size(file, error);
  if (error) return Status::IOError(fmt::format("{}: {}", file.string(), error.message()));
  SLACK_INTEL_ASSIGN_OR_RETURN(std::string md5, Md5FileRange(file.string(), 0, size));
  const std::string md5_base64 = Base64Encode(md5);
  if (size < std::max<uint64_t>(options_.block_threshold_bytes, 1)) {
    Lease client(pool_);
    SLACK_INTEL_ASSIGN_OR_RETURN(
        azure::BlobProperties p,
        client->PutBlob(options_.container, blob, {file, 0, size}, md5_base64, type));
    return Stored{HexEncode(md5), HexEncode(md5)};
  }
  // Blocks in parallel, each checked by the service against its own MD5; uncommitted blocks
  // of a failed put are never visible, and the service drops them after a week.
  const uint64_t block = std::max<uint64_t>(options_.block_size_bytes, 1);
  const size_t count = static_cast<size_t>((size + block - 1) / block);
  std::vector<std::string> ids(count);
  std::vector<Status> results(count);
  ParallelFor(
      count, options_.blocks_in_flight,
      [&] { return std::make_unique<azure::BlobClient>(options_.client); },
      [&](std::unique_ptr<azure::BlobClient>& client, size_t i) {
        const uint64_t offset = i * block;
        const uint64_t length = std::min(block, size - offset);
        ids[i] = azure::BlockId(static_cast<int>(i));
        auto block_md5 = Md5FileRange(file.string(), offset, length);
        results[i] = block_md5.ok()
                         ? client->PutBlock(options_.container, blob, ids[i],
                                            {file, offset, length}, Base64Encode(*block_md5))
                         : block_md5.status();
      });
  for (const Status& status : results) SLACK_INTEL_RETURN_IF_ERROR(status);
  Lease client(pool_);
  SLACK_INTEL_RETURN_IF_ERROR(
      client->PutBlockList(options_.container, blob, ids, md5_base64, type).status());
  return Stored{HexEncode(md5), HexEncode(md5)};
}

Result<Stored> AzureStore::GetFile(const ObjectInfo& object, const fs::path& destination) {
  return DownloadChecked(object, destination, [&](const fs::path& temp) -> Result<Fetched> {
    Lease client(pool_);
    SLACK_INTEL_ASSIGN_OR_RETURN(
        azure::BlobProperties p,
        client->GetBlob(options_.container, options_.prefix + object.key, temp, object.size_bytes));
    const std::string md5 = Md5Hex(p.content_md5_base64);
    return Fetched{md5.empty() ? p.etag : md5, md5};
  });
}

Result<std::vector<DeleteFailure>> AzureStore::Delete(const std::vector<std::string>& keys) {
  std::vector<DeleteFailure> failures;
  Lease client(pool_);
  for (const std::string& key : keys) {
    Status deleted = client->DeleteBlob(options_.container, options_.prefix + key);
    if (!deleted.ok() && deleted.code() != StatusCode::kNotFound) {
      failures.push_back({key, deleted.message()});
    }
  }
  return failures;
}

Status AzureStore::Reachable() const {
  return options_.client.server_health ? options_.client.server_health->Check() : Status::OK();
}

}  // namespace slack_intel::store
