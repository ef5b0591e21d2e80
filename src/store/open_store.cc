#include "store/open_store.h"

#include <fmt/format.h>

#include <cctype>

#include "azure/storage_account.h"
#include "s3/bucket_name.h"
#include "store/azure_store.h"
#include "store/local_dir_store.h"
#include "store/s3_store.h"

namespace slack_intel::store {

namespace {

constexpr const char* kGcsEndpoint = "https://storage.googleapis.com";

// Azure's rule for container names: 3 to 63 lowercase letters, digits and single hyphens,
// starting and ending with a letter or digit.
Status ValidateContainerName(std::string_view name) {
  bool ok = name.size() >= 3 && name.size() <= 63 && name.front() != '-' && name.back() != '-' &&
            name.find("--") == std::string_view::npos;
  for (char c : name) ok = ok && ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-');
  if (ok) return Status::OK();
  return Status::InvalidArgument(fmt::format(
      "'{}' is not a container name Azure accepts (3-63 lowercase letters, digits and hyphens)",
      name));
}

// GCS's rule for bucket names, for names without dots: 3 to 63 lowercase letters, digits,
// hyphens and underscores, starting and ending with a letter or digit.
Status ValidateGcsBucketName(std::string_view name) {
  bool ok = name.size() >= 3 && name.size() <= 63 &&
            std::isalnum(static_cast<unsigned char>(name.front())) &&
            std::isalnum(static_cast<unsigned char>(name.back())) && !name.starts_with("goog");
  for (char c : name) {
    ok = ok &&
         ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.');
  }
  if (ok) return Status::OK();
  return Status::InvalidArgument(fmt::format(
      "'{}' is not a bucket name GCS accepts (3-63 lowercase letters, digits, '-', '_', '.')",
      name));
}

Result<std::unique_ptr<ObjectStore>> OpenAzure(std::string_view url, std::string_view rest,
                                               const StoreOptions& options) {
  // az://ACCOUNT/CONTAINER[/PREFIX]
  const size_t slash = rest.find('/');
  const std::string account(rest.substr(0, slash));
  std::string_view after = slash == std::string_view::npos ? "" : rest.substr(slash + 1);
  const size_t next = after.find('/');
  const std::string container(after.substr(0, next));
  if (account.empty() || container.empty()) {
    return Status::InvalidArgument(
        fmt::format("{}: an Azure destination is az://ACCOUNT/CONTAINER/PREFIX", url));
  }
  SLACK_INTEL_RETURN_IF_ERROR(ValidateContainerName(container).WithContext(std::string(url)));
  AzureStoreOptions azure;
  azure.client = options.azure;
  if (azure.client.account.name.empty()) {
    SLACK_INTEL_ASSIGN_OR_RETURN(azure.client.account,
                                 azure::ResolveStorageAccount(options.env, account));
  }
  azure.container = container;
  azure.block_threshold_bytes = options.upload.multipart_threshold_bytes;
  azure.block_size_bytes = options.upload.part_size_bytes;
  azure.blocks_in_flight = options.upload.concurrency;
  azure.prefix =
      NormalizePrefix(next == std::string_view::npos ? "" : std::string(after.substr(next)));
  return std::unique_ptr<ObjectStore>(std::make_unique<AzureStore>(std::move(azure)));
}

}  // namespace

std::string NormalizePrefix(std::string prefix) {
  while (prefix.starts_with("/")) prefix.erase(0, 1);
  if (!prefix.empty() && !prefix.ends_with("/")) prefix += '/';
  return prefix;
}

Result<std::unique_ptr<ObjectStore>> OpenStore(std::string_view url, const StoreOptions& options) {
  const size_t scheme_end = url.find("://");
  const std::string_view scheme =
      scheme_end == std::string_view::npos ? "" : url.substr(0, scheme_end);
  if (scheme == "s3" || scheme == "gs") {
    const std::string_view rest = url.substr(scheme_end + 3);
    const size_t slash = rest.find('/');
    const std::string bucket(rest.substr(0, slash));
    SLACK_INTEL_RETURN_IF_ERROR(
        (scheme == "s3" ? s3::ValidateBucketName(bucket) : ValidateGcsBucketName(bucket))
            .WithContext(std::string(url)));
    S3StoreOptions s3;
    s3.client = options.s3;
    if (scheme == "gs") {
      // GCS's XML API: SigV4 with HMAC keys, path-style, one DELETE per object
      // (docs/clouds.md).
      s3.scheme = "gs";
      s3.multi_object_delete = false;
      if (s3.client.endpoint_url.empty()) s3.client.endpoint_url = kGcsEndpoint;
    }
    s3.bucket = bucket;
    s3.prefix =
        NormalizePrefix(slash == std::string_view::npos ? "" : std::string(rest.substr(slash)));
    s3.upload = options.upload;
    return std::unique_ptr<ObjectStore>(std::make_unique<S3Store>(std::move(s3)));
  }
  if (scheme == "az") return OpenAzure(url, url.substr(scheme_end + 3), options);
  std::string_view path = url;
  if (scheme == "file") {
    path = url.substr(scheme_end + 3);
    // file://host/dir names another machine's folder; only the local one (file:///dir) is ours.
    if (!path.starts_with("/")) {
      return Status::InvalidArgument(
          fmt::format("{}: a file URL names a local folder as file:///path", url));
    }
  } else if (!scheme.empty()) {
    return Status::InvalidArgument(
        fmt::format("{}: unknown store '{}://' (s3://bucket/prefix, az://account/container/prefix, "
                    "gs://bucket/prefix or a folder: file:///path)",
                    url, scheme));
  }
  if (path.empty()) return Status::InvalidArgument("an empty folder path");
  LocalDirOptions local;
  local.root = std::string(path);
  local.keyed_folder = options.keyed_folder;
  local.index = options.index;
  return std::unique_ptr<ObjectStore>(std::make_unique<LocalDirStore>(std::move(local)));
}

}  // namespace slack_intel::store
