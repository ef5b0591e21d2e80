#pragma once

#include <filesystem>
#include <string_view>

#include "util/status.h"

namespace slack_intel {

// Writes `content` to `path` so that readers see the old file or the new one, never a part:
// a hidden temp file in the same folder, flushed to disk, then renamed over `path`. Creates
// the folder. Errors: kIOError naming the path.
Status WriteFileAtomically(const std::filesystem::path& path, std::string_view content);

// The temp name WriteFileAtomically and downloads use next to `path`: ".<name>.<tag>.tmp",
// hidden from sync and readers.
std::filesystem::path TempPathFor(const std::filesystem::path& path, std::string_view tag);

}  // namespace slack_intel
