#pragma once

#include <filesystem>
#include <string_view>

#include "util/atomic_file.h"
#include "util/result.h"

namespace slack_intel::cache {

// Makes `path` hold `bytes`: untouched (not even its mtime) when it already does, else
// written atomically (temp file + rename), or, with a batch, staged in it (the batch's
// Commit() publishes). Returns whether the file changes.
Result<bool> PublishIfChanged(const std::filesystem::path& path, std::string_view bytes,
                              AtomicFileBatch* batch = nullptr);

// Removes `path` if it exists, then its folders up to `root` that are left empty. Returns
// whether a file was removed.
Result<bool> Unpublish(const std::filesystem::path& path, const std::filesystem::path& root);

// The whole file; kNotFound when missing.
Result<std::string> ReadWholeFile(const std::filesystem::path& path);

}  // namespace slack_intel::cache
