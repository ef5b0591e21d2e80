#include "store/local_dir_store.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <system_error>
#include <vector>

#include "util/atomic_file.h"
#include "util/digest.h"

namespace slack_intel::store {
namespace {

namespace fs = std::filesystem;

constexpr size_t kNameMaxBytes = 255;  // NAME_MAX of Linux file systems
constexpr size_t kCopyBufferBytes = 1 << 20;

// Copies `from` to `to` through a hidden temp file renamed over it; returns the MD5 (hex) of
// the bytes copied. `expected_size`, if given, must be the source's size.
Result<std::string> CopyFile(const fs::path& from, const fs::path& to,
                             std::optional<uint64_t> expected_size, int64_t mtime_ns) {
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> in(std::fopen(from.c_str(), "rb"), std::fclose);
  if (!in) {
    const int error = errno;
    const std::string message =
        fmt::format("cannot read {}: {}", from.string(), std::strerror(error));
    return error == ENOENT ? Status::NotFound(message) : Status::IOError(message);
  }
  SLACK_INTEL_ASSIGN_OR_RETURN(AtomicFileWriter out, AtomicFileWriter::Open(to));
  std::vector<char> buffer(kCopyBufferBytes);
  uint64_t copied = 0;
  while (true) {
    const size_t got = std::fread(buffer.data(), 1, buffer.size(), in.get());
    if (got > 0) SLACK_INTEL_RETURN_IF_ERROR(out.Append(std::string_view(buffer.data(), got)));
    copied += got;
    if (got < buffer.size()) break;
  }
  if (std::ferror(in.get()))
    return Status::IOError(fmt::format("cannot read {}: {}", from.string(), std::strerror(errno)));
  if (expected_size && copied != *expected_size) {
    return Status::Corruption(
        fmt::format("{} holds {} bytes, not the {} listed", from.string(), copied, *expected_size));
  }
  SLACK_INTEL_RETURN_IF_ERROR(out.Commit());
  SetFileMtime(to, mtime_ns);
  SLACK_INTEL_ASSIGN_OR_RETURN(std::string md5, Md5FileRange(to.string(), 0, copied));
  return HexEncode(md5);
}

ObjectInfo InfoOf(std::string key, const FileStamp& stamp) {
  return {std::move(key), stamp.size_bytes, stamp.mtime_ns, "", stamp};
}

// The walk, as ObjectInfo, without the files the store's keys cannot name (see the class).
class LocalDirListing final : public ObjectListing {
 public:
  LocalDirListing(std::unique_ptr<LocalWalker> walker, std::string keyed_folder)
      : walker_(std::move(walker)), keyed_folder_(std::move(keyed_folder)) {}

  Result<std::optional<ObjectInfo>> Next() override {
    while (true) {
      SLACK_INTEL_ASSIGN_OR_RETURN(std::optional<LocalFile> file, walker_->Next());
      if (!file) {
        spdlog::debug("walked: {} folders read, {} unchanged (folder index)",
                      walker_->folders_read(), walker_->folders_reused());
        return std::optional<ObjectInfo>();
      }
      const bool nested = file->key.find('/') != std::string::npos;
      if (!keyed_folder_.empty() && nested != file->in_keyed_folder) continue;
      if (UnsafeFileKey(file->key)) continue;  // a name no key of ours can have
      return std::optional<ObjectInfo>(InfoOf(std::move(file->key), file->stamp));
    }
  }

 private:
  std::unique_ptr<LocalWalker> walker_;
  const std::string keyed_folder_;
};

}  // namespace

std::optional<std::string> UnsafeFileKey(std::string_view key) {
  if (key.empty() || key.starts_with("/")) return "an absolute path";
  if (key.find('\\') != std::string_view::npos) return "it contains a backslash";
  if (key.find('\0') != std::string_view::npos) return "it contains a NUL byte";
  // The cache escapes control bytes in names (Hive's escaping): no cache file has one.
  if (std::any_of(key.begin(), key.end(), [](char c) { return (c >= 0 && c < 0x20) || c == 0x7F; }))
    return "it contains a control character";
  size_t start = 0;
  while (true) {
    const size_t slash = key.find('/', start);
    const std::string_view segment =
        key.substr(start, slash == std::string_view::npos ? key.npos : slash - start);
    if (segment.empty() || segment == "." || segment == "..")
      return "an empty, '.' or '..' path segment";
    if (segment.size() > kNameMaxBytes) return "a name longer than 255 bytes";
    if (SkippedName(segment)) return "a hidden or temporary name, which sync never writes";
    if (slash == std::string_view::npos) return std::nullopt;
    start = slash + 1;
  }
}

LocalDirStore::LocalDirStore(LocalDirOptions options) : options_(std::move(options)) {}

std::string LocalDirStore::RelativePath(std::string_view key) const {
  const bool nested = key.find('/') != std::string_view::npos;
  if (options_.keyed_folder.empty() || !nested) return std::string(key);
  return options_.keyed_folder + "/" + std::string(key);
}

std::string LocalDirStore::Describe(std::string_view key) const {
  if (key.empty()) return options_.root.generic_string();  // the folder itself
  return (options_.root / RelativePath(key)).generic_string();
}

Status LocalDirStore::CheckKey(std::string_view key) const {
  if (auto unsafe = UnsafeFileKey(key)) {
    return Status::InvalidArgument(
        fmt::format("not a file name below {}: {}", options_.root.string(), *unsafe));
  }
  return Status::OK();
}

fs::path LocalDirStore::PathOf(std::string_view key) const {
  return options_.root / RelativePath(key);
}

Result<fs::path> LocalDirStore::PrepareWrite(std::string_view key) {
  SLACK_INTEL_RETURN_IF_ERROR(CheckKey(key));
  const fs::path path = PathOf(key);
  std::error_code error;
  const fs::path root = fs::canonical(options_.root, error);
  if (error) {
    return Status::NotFound(fmt::format("Local path does not exist: {}", options_.root.string()));
  }
  // A folder of the store that is a symbolic link could lead outside it: the folders that
  // exist are checked before any is made, and the whole chain once it is.
  auto inside = [&](const fs::path& folder) {
    std::error_code ignored;
    const fs::path relative = fs::canonical(folder, ignored).lexically_relative(root);
    return !ignored && !relative.empty() && *relative.begin() != "..";
  };
  const auto outside = [&] {
    return Status::InvalidArgument(fmt::format("{}: its folder leads outside {} (a symbolic link?)",
                                               path.string(), root.string()));
  };
  fs::path existing = path.parent_path();
  while (!fs::exists(existing, error) && existing != options_.root)
    existing = existing.parent_path();
  if (!inside(existing)) return outside();
  fs::create_directories(path.parent_path(), error);
  if (error) {
    return Status::IOError(
        fmt::format("cannot create {}: {}", path.parent_path().string(), error.message()));
  }
  if (!inside(path.parent_path())) return outside();
  return path;
}

Result<std::unique_ptr<ObjectListing>> LocalDirStore::List(const ListOptions& options) {
  (void)options;  // one walk: a folder lists faster than a range split would save
  SLACK_INTEL_ASSIGN_OR_RETURN(
      std::unique_ptr<LocalWalker> walker,
      LocalWalker::Open(options_.root, options_.keyed_folder, options_.index));
  return std::unique_ptr<ObjectListing>(
      std::make_unique<LocalDirListing>(std::move(walker), options_.keyed_folder));
}

Result<ObjectHead> LocalDirStore::Stat(std::string_view key) {
  SLACK_INTEL_RETURN_IF_ERROR(CheckKey(key));
  SLACK_INTEL_ASSIGN_OR_RETURN(FileStamp stamp, StatFile(PathOf(key)));
  return ObjectHead{InfoOf(std::string(key), stamp), ""};
}

Result<Stored> LocalDirStore::PutFile(std::string_view key, const fs::path& file,
                                      const PutRequest& request) {
  (void)request;  // a rename publishes a file whole: nothing to journal
  SLACK_INTEL_ASSIGN_OR_RETURN(const fs::path path, PrepareWrite(key));
  auto md5 = CopyFile(file, path, std::nullopt, kUnknownTime);
  if (!md5.ok()) return md5.status().WithContext("put " + Describe(key));
  return Stored{"", std::move(*md5)};
}

Result<Stored> LocalDirStore::GetFile(const ObjectInfo& object, const fs::path& destination) {
  SLACK_INTEL_RETURN_IF_ERROR(CheckKey(object.key));
  auto md5 = CopyFile(PathOf(object.key), destination, object.size_bytes, object.mtime_ns);
  if (!md5.ok()) return md5.status().WithContext("get " + Describe(object.key));
  return Stored{"", std::move(*md5)};
}

Result<std::vector<DeleteFailure>> LocalDirStore::Delete(const std::vector<std::string>& keys) {
  std::vector<DeleteFailure> failures;
  for (const std::string& key : keys) {
    if (Status ok = CheckKey(key); !ok.ok()) {
      failures.push_back({key, ok.message()});
      continue;
    }
    const fs::path path = PathOf(key);
    std::error_code error;
    fs::remove(path, error);  // a file already gone is no failure, as in S3
    if (error) {
      failures.push_back({key, error.message()});
      continue;
    }
    // Tidy the folders left empty (partition folders), up to the root.
    for (fs::path dir = path.parent_path(); dir.has_relative_path() && dir != options_.root;
         dir = dir.parent_path()) {
      if (!fs::is_empty(dir, error) || error) break;
      fs::remove(dir, error);
    }
  }
  return failures;
}

}  // namespace slack_intel::store
