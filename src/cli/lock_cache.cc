#include "cli/lock_cache.h"

#include <spdlog/spdlog.h>

namespace slack_intel::cli {

Result<cache::CacheLock> LockCache(const std::filesystem::path& cache_path,
                                   std::string_view command) {
  SLACK_INTEL_ASSIGN_OR_RETURN(cache::CacheLock lock,
                               cache::CacheLock::Acquire(cache_path, command));
  if (!lock.taken_over_from().empty()) {
    const int removed = cache::RemoveDeadRunsTempFiles(cache_path);
    spdlog::warn("the last run on {} ended without releasing it ({}): taken over{}",
                 cache_path.string(), lock.taken_over_from(),
                 removed > 0 ? fmt::format("; {} temp file(s) it left removed", removed) : "");
  }
  return lock;
}

}  // namespace slack_intel::cli
