#include "store/checked_download.h"

#include <fmt/format.h>

#include "store/file_stamp.h"
#include "util/atomic_file.h"
#include "util/digest.h"

namespace slack_intel::store {

namespace fs = std::filesystem;

Result<Stored> DownloadChecked(const ObjectInfo& object, const fs::path& destination,
                               const std::function<Result<Fetched>(const fs::path&)>& fetch) {
  const fs::path temp = TempPathFor(destination, "download");
  auto fail = [&](Status status) {
    std::error_code ignored;
    fs::remove(temp, ignored);
    return status;
  };
  std::error_code error;
  if (destination.has_parent_path()) fs::create_directories(destination.parent_path(), error);
  if (error) {
    return Status::IOError(
        fmt::format("cannot create {}: {}", destination.parent_path().string(), error.message()));
  }
  auto fetched = fetch(temp);
  if (!fetched.ok()) return fail(fetched.status());
  const uint64_t size = fs::file_size(temp, error);
  if (error) return fail(Status::IOError(fmt::format("{}: {}", temp.string(), error.message())));
  auto md5 = Md5FileRange(temp.string(), 0, size);
  if (!md5.ok()) return fail(md5.status());
  std::string md5_hex = HexEncode(*md5);
  if (!fetched->vouched_md5_hex.empty() && fetched->vouched_md5_hex != md5_hex) {
    return fail(
        Status::Corruption(fmt::format("the downloaded bytes have MD5 {}, the object says {}",
                                       md5_hex, fetched->vouched_md5_hex)));
  }
  SetFileMtime(temp, object.mtime_ns);
  fs::rename(temp, destination, error);
  if (error) {
    return fail(
        Status::IOError(fmt::format("cannot write {}: {}", destination.string(), error.message())));
  }
  return Stored{std::move(fetched->etag), std::move(md5_hex)};
}

}  // namespace slack_intel::store
