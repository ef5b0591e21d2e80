#pragma once

#include <cstdint>
#include <filesystem>

#include "util/result.h"

namespace slack_intel::sync {

// Whether a .parquet file ends with a plausible footer ("PAR1" at both ends and a footer
// length that fits), so a truncated or half-written file is never uploaded.
bool HasParquetFooter(const std::filesystem::path& path, uint64_t size_bytes);

// OK if `cache_path` is a folder, else kNotFound: "Local path does not exist: <path>", with
// how to make one.
Status CheckCacheFolder(const std::filesystem::path& cache_path);

}  // namespace slack_intel::sync
