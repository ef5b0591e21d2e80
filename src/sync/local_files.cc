#include "sync/local_files.h"

#include <fmt/format.h>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <system_error>

namespace slack_intel::sync {
namespace {

bool HiddenName(std::string_view name) { return name.starts_with(".") || name.ends_with(".tmp"); }

bool Hidden(const std::filesystem::path& relative) {
  for (const auto& part : relative) {
    if (HiddenName(part.string())) return true;
  }
  return false;
}

}  // namespace

Result<FileStamp> StatFile(const std::filesystem::path& path) {
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0) {
    const int error = errno;
    const std::string message =
        fmt::format("cannot stat {}: {}", path.string(), std::strerror(error));
    return error == ENOENT ? Status::NotFound(message) : Status::IOError(message);
  }
  return FileStamp{static_cast<uint64_t>(st.st_size),
                   static_cast<int64_t>(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec,
                   static_cast<int64_t>(st.st_ctim.tv_sec) * 1'000'000'000 + st.st_ctim.tv_nsec,
                   static_cast<uint64_t>(st.st_ino)};
}

Result<std::vector<LocalFile>> ListCacheFiles(const std::filesystem::path& cache_path) {
  std::error_code error;
  if (!std::filesystem::is_directory(cache_path, error)) {
    return Status::NotFound(
        fmt::format("Local path does not exist: {} (create it with `slack-intel cache "
                    "--days 7`, or pass --cache-path)",
                    cache_path.string()));
  }
  std::vector<LocalFile> files;
  const auto root = std::filesystem::absolute(cache_path, error);
  std::filesystem::recursive_directory_iterator it(root, std::filesystem::directory_options::none,
                                                   error);
  if (error)
    return Status::IOError(fmt::format("cannot list {}: {}", cache_path.string(), error.message()));
  for (; it != std::filesystem::recursive_directory_iterator(); it.increment(error)) {
    if (error)
      return Status::IOError(
          fmt::format("cannot list {}: {}", cache_path.string(), error.message()));
    const auto& entry = *it;
    const auto relative = entry.path().lexically_relative(root);
    if (Hidden(relative)) {
      if (entry.is_directory(error)) it.disable_recursion_pending();
      continue;
    }
    if (!entry.is_regular_file(error) || entry.is_symlink(error)) continue;
    LocalFile file;
    file.key = relative.generic_string();
    file.in_raw = file.key.starts_with("raw/");
    if (file.in_raw) file.key.erase(0, 4);
    SLACK_INTEL_ASSIGN_OR_RETURN(file.stamp, StatFile(entry.path()));
    files.push_back(std::move(file));
  }
  std::sort(files.begin(), files.end(),
            [](const LocalFile& a, const LocalFile& b) { return a.key < b.key; });
  // Two paths mapping to one key (raw/users.parquet and users.parquet) would overwrite each other.
  for (size_t i = 1; i < files.size(); ++i) {
    if (files[i].key == files[i - 1].key) {
      return Status::InvalidArgument(fmt::format("{} and {} would both upload to the key {}",
                                                 files[i - 1].relative(), files[i].relative(),
                                                 files[i].key));
    }
  }
  return files;
}

Result<std::string> CacheRelativePathForKey(std::string_view key) {
  auto refuse = [&](std::string_view why) -> Status {
    return Status::InvalidArgument(fmt::format("refusing to download key '{}': {}", key, why));
  };
  if (key.empty() || key.starts_with("/")) return refuse("an absolute path");
  if (key.find('\\') != std::string_view::npos) return refuse("it contains a backslash");
  if (key.find('\0') != std::string_view::npos) return refuse("it contains a NUL byte");
  size_t start = 0;
  while (true) {
    const size_t slash = key.find('/', start);
    const std::string_view segment =
        key.substr(start, slash == std::string_view::npos ? key.npos : slash - start);
    if (segment.empty() || segment == "." || segment == "..")
      return refuse("an empty, '.' or '..' path segment");
    if (HiddenName(segment)) return refuse("a hidden or temporary name, which sync never writes");
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
  const bool nested = key.find('/') != std::string_view::npos;
  return nested ? "raw/" + std::string(key) : std::string(key);
}

bool HasParquetFooter(const std::filesystem::path& path, uint64_t size_bytes) {
  if (size_bytes < 12) return false;
  std::ifstream in(path, std::ios::binary);
  char head[4], tail[8];
  if (!in.read(head, 4)) return false;
  in.seekg(static_cast<std::streamoff>(size_bytes - 8));
  if (!in.read(tail, 8)) return false;
  uint32_t footer_length;
  std::memcpy(&footer_length, tail, 4);
  return std::memcmp(head, "PAR1", 4) == 0 && std::memcmp(tail + 4, "PAR1", 4) == 0 &&
         footer_length > 0 && footer_length <= size_bytes - 12;
}

}  // namespace slack_intel::sync
