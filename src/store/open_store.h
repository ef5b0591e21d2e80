#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "aws/environment.h"
#include "azure/blob_client.h"
#include "s3/client.h"
#include "s3/transfer.h"
#include "store/local_walker.h"
#include "store/object_store.h"

namespace slack_intel::store {

// What OpenStore needs for each kind of store; the fields of the others are ignored.
struct StoreOptions {
  s3::ClientOptions s3;  // s3:// (credentials required)
  // s3://; for az:// its threshold, part size and concurrency are the block threshold, block
  // size and blocks in flight.
  s3::UploadOptions upload;
  // az://: retries and transport; the account comes from `env` as the az cli finds it
  // (azure/storage_account.h) unless `azure.account.name` is set already.
  azure::BlobClientOptions azure;
  aws::Environment env;
  std::string keyed_folder;  // folders: see LocalDirOptions
  FolderIndexOptions index;  // folders
};

// The store a URL names; the one place that reads a scheme:
//   s3://bucket[/prefix]   S3Store (the prefix normalized as NormalizePrefix does)
//   gs://bucket[/prefix]   S3Store on GCS's XML API (storage.googleapis.com unless s3's
//                          endpoint_url says otherwise; one DELETE per object)
//   az://account/container[/prefix]  AzureStore
//   file:///dir, /dir, dir LocalDirStore rooted at the folder
// Errors: kInvalidArgument (another scheme, a bucket or container name the service refuses,
// no Azure credentials, an empty path).
Result<std::unique_ptr<ObjectStore>> OpenStore(std::string_view url, const StoreOptions& options);

// "prod" -> "prod/", "/prod/" -> "prod/", "" -> "": a key prefix as S3 stores take it.
std::string NormalizePrefix(std::string prefix);

}  // namespace slack_intel::store
