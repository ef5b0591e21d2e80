#include "support/small_disk.h"

namespace slack_intel::testing {

ProcessResult RunOnASmallDisk(const std::filesystem::path& mount, uint64_t size_bytes,
                              const std::filesystem::path& cache, const std::string& script,
                              std::map<std::string, std::string> env) {
  std::filesystem::create_directories(mount);
  env["MNT"] = mount.string();
  env["SMALL_DISK_SIZE"] = std::to_string(size_bytes);
  env["SMALL_DISK_CACHE"] = cache.string();
  const std::string prelude = R"(
    set -u
    mount -t tmpfs -o size="$SMALL_DISK_SIZE" tmpfs "$MNT" || exit 90
    cp -a "$SMALL_DISK_CACHE" "$MNT/cache" || exit 91
    sums() { (cd "$MNT/cache" && find "$@" -type f ! -name lock -print0 | sort -z |
              xargs -0 -r sha256sum); }
  )";
  return RunProcess(
      {"unshare", "--mount", "--propagation", "private", "bash", "-c", prelude + script}, env);
}

uint64_t TmpfsBytes(const std::filesystem::path& root) {
  uint64_t bytes = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(root))
    if (entry.is_regular_file()) bytes += (entry.file_size() + 4095) / 4096 * 4096;
  return bytes;
}

}  // namespace slack_intel::testing
