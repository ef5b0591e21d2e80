#pragma once

#include <filesystem>
#include <string_view>

#include "cache/cache_lock.h"
#include "util/result.h"

namespace slack_intel::cli {

// Takes the cache's lock for the run of `command` (cache/cache_lock.h). When the last holder
// died holding it, says so and removes the temp files that run left in the cache. Errors as
// CacheLock::Acquire: the message names the run that holds the lock.
Result<cache::CacheLock> LockCache(const std::filesystem::path& cache_path,
                                   std::string_view command);

}  // namespace slack_intel::cli
