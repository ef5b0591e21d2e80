#pragma once

#include <filesystem>
#include <functional>
#include <string>

#include "store/object_store.h"

namespace slack_intel::store {

// What a store's fetch says of the bytes it wrote: the object's ETag, and the content MD5
// (hex) the store vouches for ("" when it vouches for none).
struct Fetched {
  std::string etag;
  std::string vouched_md5_hex;
};

// ObjectStore::GetFile's contract for every remote store: `fetch` writes the object's bytes
// to a hidden temp file beside `destination`; their MD5 is checked against the one the store
// vouches for, the file gets the object's mtime and is renamed over `destination`. On any
// failure the temp file is removed and `destination` is as it was.
Result<Stored> DownloadChecked(
    const ObjectInfo& object, const std::filesystem::path& destination,
    const std::function<Result<Fetched>(const std::filesystem::path&)>& fetch);

}  // namespace slack_intel::store
