#pragma once

// An Azure Blob Storage REST client for block blobs: Shared Key or SAS authorization, one
// keep-alive connection, the shared retry policy on transport failures, 500, 503 and
// ServerBusy. Not thread-safe: one per worker thread (they may share the options).
//
// Errors carry the operation and az://ACCOUNT/CONTAINER/BLOB, the service's error code and
// message, and for the usual ones the fix: "PUT az://acct/cont/k: ContainerNotFound (HTTP 404):
// The specified container does not exist. (create it: az storage container create ...)".
// kNotFound: BlobNotFound, ContainerNotFound; kUnauthenticated: AuthenticationFailed (a key or
// SAS refused); kPermissionDenied: other 403s; kCorruption: Md5Mismatch (the bytes changed on
// the way); kFailedPrecondition: 409 and 412; kUnavailable: what retries gave up on.

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "azure/storage_account.h"
#include "util/clock.h"
#include "util/http/http_client.h"
#include "util/http/retry.h"

namespace slack_intel::azure {

// The version of the REST API every request asks for (x-ms-version).
inline constexpr char kApiVersion[] = "2021-12-02";

struct BlobClientOptions {
  StorageAccount account;
  http::RetryPolicy retry;
  const Clock* clock = &SystemClock();
  std::shared_ptr<http::ServerHealth> server_health = std::make_shared<http::ServerHealth>();
  std::function<std::unique_ptr<http::HttpClient>()> make_http_client;  // default: ours
};

struct BlobProperties {
  uint64_t size_bytes = 0;
  std::string etag;                // without quotes ("0x8DC...")
  std::string last_modified;       // HTTP date as returned
  std::string content_md5_base64;  // the blob's Content-MD5 property; "" when none was stored
};

struct BlobItem {
  std::string name;
  BlobProperties properties;
};

struct BlobPage {
  std::vector<BlobItem> blobs;  // in the service's order (ascending by name)
  std::string next_marker;      // "" after the last page
};

class BlobClient {
 public:
  explicit BlobClient(BlobClientOptions options);
  ~BlobClient();

  // Create Container. kFailedPrecondition when it exists already.
  Status CreateContainer(const std::string& container);
  // List Blobs: one page of up to `max_results` blobs under `prefix`, from `marker`.
  Result<BlobPage> ListBlobs(const std::string& container, const std::string& prefix,
                             const std::string& marker, int max_results);
  // Get Blob Properties.
  Result<BlobProperties> GetProperties(const std::string& container, const std::string& blob);
  // Put Blob of a file range as a block blob; the service checks `content_md5_base64` and
  // keeps it as the blob's Content-MD5.
  Result<BlobProperties> PutBlob(const std::string& container, const std::string& blob,
                                 const http::FileRange& range,
                                 const std::string& content_md5_base64,
                                 const std::string& content_type);
  // Put Block: one block of a blob still to be committed; the service checks its MD5.
  Status PutBlock(const std::string& container, const std::string& blob,
                  const std::string& block_id, const http::FileRange& range,
                  const std::string& block_md5_base64);
  // Put Block List: commits `block_ids` in order as the blob, whose Content-MD5 property
  // becomes `content_md5_base64` (the service cannot check it: the caller computed it).
  Result<BlobProperties> PutBlockList(const std::string& container, const std::string& blob,
                                      const std::vector<std::string>& block_ids,
                                      const std::string& content_md5_base64,
                                      const std::string& content_type);
  // Get Blob, streamed to `file`; a body of another size than `expected_size` is refused.
  Result<BlobProperties> GetBlob(const std::string& container, const std::string& blob,
                                 const std::filesystem::path& file, uint64_t expected_size);
  // Delete Blob (kNotFound when it is not there).
  Status DeleteBlob(const std::string& container, const std::string& blob);

 private:
  struct Call;
  Result<http::Response> Execute(const Call& call);

  BlobClientOptions options_;
  std::unique_ptr<http::HttpClient> http_;
  http::Backoff backoff_;
};

// "az://ACCOUNT/CONTAINER/BLOB" for messages.
std::string AzUrl(const std::string& account, const std::string& container,
                  const std::string& blob);

// The block id of block `index` of a blob: base64 of a fixed-width name, as the service wants
// every id of one blob the same length.
std::string BlockId(int index);

}  // namespace slack_intel::azure
