#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>

#include "support/subprocess.h"

namespace slack_intel::testing {

// Runs the bash `script` in a mount namespace of its own (unshare), where a tmpfs of
// `size_bytes` is mounted at `mount` and `cache` copied onto it as "$MNT/cache": a small disk
// that fills up, gone with the namespace whatever the test does. The script sees `env`, $MNT,
// and a function `sums PATH...` printing the SHA-256 of every file under those paths of the
// copied cache (its lock aside), sorted. Returns what bash returned; 90 or 91 when the disk
// could not be set up.
ProcessResult RunOnASmallDisk(const std::filesystem::path& mount, uint64_t size_bytes,
                              const std::filesystem::path& cache, const std::string& script,
                              std::map<std::string, std::string> env);

// What the files under `root` take on a tmpfs: their sizes in whole 4 KiB pages.
uint64_t TmpfsBytes(const std::filesystem::path& root);

}  // namespace slack_intel::testing
