#include "sync/local_files.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstring>
#include <fstream>
#include <system_error>

namespace slack_intel::sync {
namespace {

bool Hidden(const std::filesystem::path& relative) {
  for (const auto& part : relative) {
    const std::string name = part.string();
    if (name.starts_with(".")) return true;
  }
  return relative.filename().string().ends_with(".tmp");
}

}  // namespace

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
    std::string key = relative.generic_string();
    if (key.starts_with("raw/")) key = key.substr(4);
    LocalFile file;
    file.key = key;
    file.path = entry.path();
    file.display_path = (cache_path / relative).generic_string();
    file.size_bytes = entry.file_size(error);
    if (error)
      return Status::IOError(fmt::format("cannot stat {}: {}", file.display_path, error.message()));
    files.push_back(std::move(file));
  }
  std::sort(files.begin(), files.end(),
            [](const LocalFile& a, const LocalFile& b) { return a.key < b.key; });
  // Two paths mapping to one key (raw/users.parquet and users.parquet) would overwrite each other.
  for (size_t i = 1; i < files.size(); ++i) {
    if (files[i].key == files[i - 1].key) {
      return Status::InvalidArgument(fmt::format("{} and {} would both upload to the key {}",
                                                 files[i - 1].display_path, files[i].display_path,
                                                 files[i].key));
    }
  }
  return files;
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
