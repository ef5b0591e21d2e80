#include "cache/cache_partitions.h"

#include <fmt/format.h>

#include <algorithm>
#include <system_error>

#include "cache/layout.h"

namespace slack_intel::cache {
namespace {

namespace fs = std::filesystem;

bool IsDay(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9})
    if (s[i] < '0' || s[i] > '9') return false;
  return true;
}

// The values of the `<key>=<value>` folders directly under `folder`, sorted.
Result<std::vector<std::string>> FolderValues(const fs::path& folder, std::string_view key) {
  std::vector<std::string> values;
  std::error_code error;
  fs::directory_iterator it(folder, error);
  if (error == std::errc::no_such_file_or_directory) return values;
  for (; !error && it != fs::directory_iterator(); it.increment(error)) {
    const std::string name = it->path().filename().string();
    if (name.size() > key.size() && name.starts_with(key) && name[key.size()] == '=' &&
        it->is_directory(error)) {
      values.push_back(name.substr(key.size() + 1));
    }
  }
  if (error) {
    return Status::IOError(fmt::format("cannot read {}: {}", folder.string(), error.message()));
  }
  std::sort(values.begin(), values.end());
  return values;
}

bool HasData(const fs::path& folder) {
  std::error_code error;
  return fs::is_regular_file(folder / "data.parquet", error);
}

}  // namespace

Result<CachePartitions> ListCachePartitions(const fs::path& cache_path) {
  std::error_code error;
  if (!fs::is_directory(cache_path, error)) {
    return Status::NotFound(fmt::format(
        "Local path does not exist: {} (create the cache first: slack-intel cache --days 7, or "
        "give --cache-path)",
        cache_path.string()));
  }
  CachePartitions out;
  const fs::path messages = cache_path / kRawFolder / "messages";
  SLACK_INTEL_ASSIGN_OR_RETURN(std::vector<std::string> days, FolderValues(messages, "dt"));
  for (const std::string& day : days) {
    if (!IsDay(day)) continue;
    const fs::path day_folder = messages / ("dt=" + day);
    SLACK_INTEL_ASSIGN_OR_RETURN(std::vector<std::string> channels,
                                 FolderValues(day_folder, "channel"));
    for (std::string& value : channels) {
      if (!HasData(day_folder / ("channel=" + value))) continue;
      std::string name = UnescapePartitionValue(value);
      out.messages.push_back({day, std::move(value), std::move(name)});
    }
  }
  const fs::path jira = cache_path / kRawFolder / "jira";
  SLACK_INTEL_ASSIGN_OR_RETURN(std::vector<std::string> jira_days, FolderValues(jira, "dt"));
  for (const std::string& day : jira_days) {
    if (IsDay(day) && HasData(jira / ("dt=" + day))) out.jira_days.push_back(day);
  }
  out.has_users = fs::is_regular_file(cache_path / UsersFile(), error);
  return out;
}

}  // namespace slack_intel::cache
