#include "cache/publish.h"

#include <fmt/format.h>

#include <fstream>
#include <system_error>

namespace slack_intel::cache {

Result<std::string> ReadWholeFile(const std::filesystem::path& path) {
  std::error_code error;
  if (!std::filesystem::exists(path, error)) {
    return Status::NotFound(fmt::format("{} does not exist", path.string()));
  }
  std::ifstream in(path, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) return Status::IOError(fmt::format("cannot read {}", path.string()));
  return bytes;
}

Result<bool> PublishIfChanged(const std::filesystem::path& path, std::string_view bytes,
                              AtomicFileBatch* batch) {
  auto existing = ReadWholeFile(path);
  if (existing.ok() && *existing == bytes) return false;
  SLACK_INTEL_RETURN_IF_ERROR(batch ? batch->Add(path, bytes) : WriteFileAtomically(path, bytes));
  return true;
}

Result<bool> Unpublish(const std::filesystem::path& path, const std::filesystem::path& root) {
  std::error_code error;
  if (!std::filesystem::remove(path, error)) {
    if (error)
      return Status::IOError(fmt::format("cannot remove {}: {}", path.string(), error.message()));
    return false;
  }
  for (auto dir = path.parent_path(); dir != root && dir.has_relative_path();
       dir = dir.parent_path()) {
    if (!std::filesystem::is_empty(dir, error) || error) break;
    std::filesystem::remove(dir, error);
  }
  return true;
}

}  // namespace slack_intel::cache
