#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "azure/blob_client.h"
#include "store/client_pool.h"
#include "store/object_store.h"

namespace slack_intel::store {

struct AzureStoreOptions {
  azure::BlobClientOptions client;
  std::string container;
  std::string prefix;  // "" or ending in '/': keys are relative to it
  // Files from this size on go up as blocks (Put Block, then Put Block List); below it, one
  // Put Blob. sync sets these from --multipart-threshold and --multipart-chunksize.
  uint64_t block_threshold_bytes = 8ull << 20;
  uint64_t block_size_bytes = 8ull << 20;
  int blocks_in_flight = 4;
};

// az://ACCOUNT/CONTAINER/PREFIX as an ObjectStore: a thin adapter over azure::BlobClient, its
// clients pooled like S3Store's. Every blob put carries the file's MD5 as its Content-MD5, and
// a listing shows it as the object's etag (hex), so the listing proves content without reading
// it, as an S3 ETag does; a blob without one (another tool's upload in blocks) shows Azure's
// own ETag, which matches no MD5.
class AzureStore final : public ObjectStore {
 public:
  explicit AzureStore(AzureStoreOptions options);
  ~AzureStore() override;

  std::string Describe(std::string_view key) const override;
  Result<std::unique_ptr<ObjectListing>> List(const ListOptions& options) override;
  Result<ObjectHead> Stat(std::string_view key) override;
  Result<Stored> PutFile(std::string_view key, const std::filesystem::path& file,
                         const PutRequest& request) override;
  Result<Stored> GetFile(const ObjectInfo& object,
                         const std::filesystem::path& destination) override;
  // Delete Blob for each key; a blob already gone counts as deleted.
  Result<std::vector<DeleteFailure>> Delete(const std::vector<std::string>& keys) override;
  Status Reachable() const override;

  const AzureStoreOptions& options() const { return options_; }

 private:
  const AzureStoreOptions options_;
  ClientPool<azure::BlobClient> pool_;
};

}  // namespace slack_intel::store
