#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "s3/client.h"
#include "s3/transfer.h"
#include "store/client_pool.h"
#include "store/object_store.h"

namespace slack_intel::store {

struct S3StoreOptions {
  s3::ClientOptions client;
  std::string bucket;
  std::string prefix;  // "" or ending in '/': keys are relative to it
  // Multipart threshold and part size, parts in flight, SSE, storage class. Every put also
  // stores the content MD5 as metadata (s3::PutOptions::md5_metadata), so a later get or
  // compare can check it where the ETag is no MD5.
  s3::UploadOptions upload;
  // What names it in messages: "s3", or "gs" for GCS's XML API.
  std::string scheme = "s3";
  // DeleteObjects, 1,000 keys a request; false: one DeleteObject per key (GCS has no
  // multi-object delete).
  bool multi_object_delete = true;
};

// s3://bucket/prefix as an ObjectStore: a thin adapter over s3::Client. Connections are kept
// in a pool, one per thread at a time, so any number of threads may call at once; a listing
// runs its ranges on connections of its own. Errors are the client's (s3/error.h), with
// "Cannot access S3 bucket B: " in front of a listing's.
class S3Store final : public ObjectStore {
 public:
  explicit S3Store(S3StoreOptions options);
  ~S3Store() override;

  std::string Describe(std::string_view key) const override;
  Result<std::unique_ptr<ObjectListing>> List(const ListOptions& options) override;
  Result<ObjectHead> Stat(std::string_view key) override;
  // Multipart from the threshold on; a failure aborts the upload.
  Result<Stored> PutFile(std::string_view key, const std::filesystem::path& file,
                         const PutRequest& request) override;
  Result<Stored> GetFile(const ObjectInfo& object,
                         const std::filesystem::path& destination) override;
  // DeleteObjects, 1,000 keys a request (or one DeleteObject per key).
  Result<std::vector<DeleteFailure>> Delete(const std::vector<std::string>& keys) override;
  Status AbortUpload(std::string_view key, std::string_view upload_id) override;
  Status Reachable() const override;
  uint64_t PartSizeFor(uint64_t size_bytes) const override;

  const S3StoreOptions& options() const { return options_; }

 private:
  const S3StoreOptions options_;
  ClientPool<s3::Client> pool_;
};

}  // namespace slack_intel::store
