#include "store/open_store.h"

#include <fmt/format.h>

#include "s3/bucket_name.h"
#include "store/local_dir_store.h"
#include "store/s3_store.h"

namespace slack_intel::store {

std::string NormalizePrefix(std::string prefix) {
  while (prefix.starts_with("/")) prefix.erase(0, 1);
  if (!prefix.empty() && !prefix.ends_with("/")) prefix += '/';
  return prefix;
}

Result<std::unique_ptr<ObjectStore>> OpenStore(std::string_view url, const StoreOptions& options) {
  const size_t scheme_end = url.find("://");
  const std::string_view scheme =
      scheme_end == std::string_view::npos ? "" : url.substr(0, scheme_end);
  if (scheme == "s3") {
    const std::string_view rest = url.substr(scheme_end + 3);
    const size_t slash = rest.find('/');
    const std::string bucket(rest.substr(0, slash));
    SLACK_INTEL_RETURN_IF_ERROR(s3::ValidateBucketName(bucket).WithContext(std::string(url)));
    S3StoreOptions s3;
    s3.client = options.s3;
    s3.bucket = bucket;
    s3.prefix =
        NormalizePrefix(slash == std::string_view::npos ? "" : std::string(rest.substr(slash)));
    s3.upload = options.upload;
    return std::unique_ptr<ObjectStore>(std::make_unique<S3Store>(std::move(s3)));
  }
  std::string_view path = url;
  if (scheme == "file") {
    path = url.substr(scheme_end + 3);
    // file://host/dir names another machine's folder; only the local one (file:///dir) is ours.
    if (!path.starts_with("/")) {
      return Status::InvalidArgument(
          fmt::format("{}: a file URL names a local folder as file:///path", url));
    }
  } else if (!scheme.empty()) {
    return Status::InvalidArgument(fmt::format(
        "{}: unknown store '{}://' (s3://bucket/prefix or a folder: file:///path)", url, scheme));
  }
  if (path.empty()) return Status::InvalidArgument("an empty folder path");
  LocalDirOptions local;
  local.root = std::string(path);
  local.keyed_folder = options.keyed_folder;
  local.index = options.index;
  return std::unique_ptr<ObjectStore>(std::make_unique<LocalDirStore>(std::move(local)));
}

}  // namespace slack_intel::store
